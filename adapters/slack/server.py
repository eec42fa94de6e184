"""HTTP mode: one aiohttp endpoint for events, slash commands and interactivity.

Bolt verifies the signature (v0 HMAC of "v0:{timestamp}:{body}" with the signing secret, and a
timestamp within 5 minutes) before any listener runs; a bad request gets 401 and nothing else.
"""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp


async def start_http(app: AsyncApp, host: str, port: int, path: str) -> tuple[web.AppRunner, int]:
    async def events(request: web.Request) -> web.Response:
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    web_app = web.Application()
    web_app.router.add_post(path, events)
    web_app.router.add_get("/healthz", health)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    return runner, int(bound)
