"""Serve an ASGI app (the Starlette dashboard) from the aiohttp web port.

The process keeps one port (ops/web.py, aiohttp); the dashboard is written against Starlette.
Dashboard pages are small, so the response is collected whole and returned in one piece.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
AsgiApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]
MAX_BODY = 64 * 1024
"""The dashboard only receives small login forms."""


def asgi_handler(app: AsgiApp) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413)
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return web.Response(status=413)
        host, port = _server(request)
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": f"{request.version.major}.{request.version.minor}",
            "method": request.method,
            "scheme": request.scheme,
            "path": request.path,
            "raw_path": request.raw_path.split("?", 1)[0].encode(),
            "query_string": request.query_string.encode(),
            "root_path": "",
            "headers": [(k.lower(), v) for k, v in request.raw_headers],
            "client": (request.remote or "", 0),
            "server": (host, port),
        }
        received = False
        finished = asyncio.Event()

        async def receive() -> Message:
            nonlocal received
            if received:  # the client is gone only once the app has answered
                await finished.wait()
                return {"type": "http.disconnect"}
            received = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 500
        headers: CIMultiDict[str] = CIMultiDict()
        chunks: list[bytes] = []

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                for key, value in message.get("headers", []):
                    headers.add(key.decode("latin-1"), value.decode("latin-1"))
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        try:
            await app(scope, receive, send)
        finally:
            finished.set()
        headers.popall("content-length", None)
        return web.Response(status=status, body=b"".join(chunks), headers=headers)

    return handle


def _server(request: web.Request) -> tuple[str, int]:
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if isinstance(sockname, tuple) and len(sockname) >= 2:
        return str(sockname[0]), int(sockname[1])
    return request.host, 0
