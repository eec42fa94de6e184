"""The one web port of a Plein process: /healthz, /readyz, /metrics, plus mounted routes.

Other parts mount their own paths on the same server with `mount` before it starts (Slack's HTTP
mode events path; later the managers' dashboard), so a process listens on one port only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.health import Health
from ops.metrics import PrometheusMetrics

log = logging.getLogger("plein.web")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RESERVED = ("/healthz", "/readyz", "/metrics")


class WebServer:
    def __init__(self, health: Health, metrics: PrometheusMetrics) -> None:
        self.health = health
        self.metrics = metrics
        self.app = web.Application()
        self.app.router.add_get("/healthz", self._healthz)
        self.app.router.add_get("/readyz", self._readyz)
        self.app.router.add_get("/metrics", self._metrics)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def mount(self, method: str, path: str, handler: Handler) -> None:
        """Serve `path` on this port too; only before `start`, never over the built-in paths."""
        if self._runner is not None:
            raise RuntimeError("mount routes before the web server starts")
        if path in RESERVED:
            raise ValueError(f"{path} is served by Plein itself")
        self.app.router.add_route(method, path, handler)

    async def start(self, bind: str, port: int) -> int:
        """Listen on bind:port (port 0: any free port); returns the port bound."""
        runner = web.AppRunner(self.app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, bind, port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1]) if runner.addresses else port
        log.info("web port listening", extra={"bind": bind, "port": self.port})
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, _: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def _readyz(self, _: web.Request) -> web.Response:
        problems = await self.health.problems()
        if problems:
            body = {"status": "not ready", "reasons": problems}
            return web.json_response(body, status=503, dumps=_dumps)
        return web.json_response({"status": "ready", "checks": self.health.names})

    async def _metrics(self, _: web.Request) -> web.Response:
        body, content_type = self.metrics.exposition()
        response = web.Response(body=body)
        response.headers["Content-Type"] = content_type
        return response


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
