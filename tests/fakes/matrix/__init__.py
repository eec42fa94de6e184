"""A fake homeserver for what a real Synapse will not do on demand: answer M_LIMIT_EXCEEDED.

It speaks the client-server API's wire format (the error body is the spec's example,
tests/fixtures/matrix/error.m_limit_exceeded.json) for the few endpoints the tests call, and
refuses the first `limited` requests with 429 before it answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "matrix"


@dataclass
class RateLimitedHomeserver:
    limited: int = 1
    retry_after_ms: int = 20
    requests: list[tuple[str, str]] = field(default_factory=list)
    account_data: dict[str, Any] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    url: str = ""

    def _limit_body(self) -> dict[str, Any]:
        body: dict[str, Any] = json.loads((FIXTURES / "error.m_limit_exceeded.json").read_text())
        body["retry_after_ms"] = self.retry_after_ms
        return body

    @web.middleware
    async def _limits(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        if self.limited > 0:
            self.limited -= 1
            return web.json_response(self._limit_body(), status=429)
        response: web.StreamResponse = await handler(request)
        return response

    async def _put_account_data(self, request: web.Request) -> web.Response:
        self.account_data[request.match_info["kind"]] = await request.json()
        return web.json_response({})

    async def _send(self, request: web.Request) -> web.Response:
        self.sent.append(await request.json())
        return web.json_response({"event_id": f"$sent{len(self.sent)}"})

    async def start(self) -> None:
        app = web.Application(middlewares=[self._limits])
        app.router.add_put(
            "/_matrix/client/v3/user/{user}/account_data/{kind}", self._put_account_data
        )
        app.router.add_put("/_matrix/client/{version}/rooms/{room}/send/{kind}/{txn}", self._send)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
