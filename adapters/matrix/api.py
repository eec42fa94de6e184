"""The homeserver, through matrix-nio: one place that turns nio's error responses into
exceptions and honours M_LIMIT_EXCEEDED's retry_after_ms (nio retries those itself, up to
MAX_LIMIT_EXCEEDED times; the raw calls nio has no method for do the same here)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import aiohttp
from nio import AsyncClient, AsyncClientConfig, ErrorResponse

log = logging.getLogger("plein.matrix")

MAX_LIMIT_EXCEEDED = 5
"""429s in a row before a request counts as failed (each wait is the server's retry_after_ms)."""
DEFAULT_RETRY_MS = 5000

T = TypeVar("T")


class MatrixError(RuntimeError):
    def __init__(self, what: str, errcode: str | None, message: str = "") -> None:
        super().__init__(f"{what}: {errcode or 'error'} {message}".strip())
        self.errcode = errcode


def make_client(homeserver: str, user_id: str = "", token: str | None = None) -> AsyncClient:
    config = AsyncClientConfig(
        max_limit_exceeded=MAX_LIMIT_EXCEEDED, max_timeouts=3, encryption_enabled=False
    )
    client = AsyncClient(homeserver, user_id, config=config)
    client.user_id = user_id
    if token is not None:
        client.access_token = token
    return client


def checked(what: str, response: T) -> T:
    """The response, or a MatrixError carrying the server's errcode."""
    if isinstance(response, ErrorResponse):
        raise MatrixError(what, response.status_code, response.message)
    return response


def retry_after_ms(body: Mapping[str, Any]) -> int | None:
    """The wait an M_LIMIT_EXCEEDED answer asks for, or None for any other answer."""
    if body.get("errcode") != "M_LIMIT_EXCEEDED":
        return None
    value = body.get("retry_after_ms")
    return int(value) if isinstance(value, int | float) and value >= 0 else DEFAULT_RETRY_MS


class RawCalls:
    """Client-server endpoints nio has no method for: account data and a space's rooms."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.on_limit: Callable[[], None] = lambda: None
        """Told of each M_LIMIT_EXCEEDED (the adapter counts them in the metrics)."""

    async def request(
        self, method: str, path: str, body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        url = f"{self.client.homeserver}{path}"
        headers = {"Authorization": f"Bearer {self.client.access_token}"}
        data = json.dumps(body) if body is not None else None
        for _ in range(MAX_LIMIT_EXCEEDED + 1):
            async with (
                aiohttp.ClientSession() as session,
                session.request(method, url, data=data, headers=headers) as response,
            ):
                try:
                    answer: dict[str, Any] = await response.json(content_type=None)
                except ValueError:
                    answer = {"errcode": f"HTTP_{response.status}"}
                wait = retry_after_ms(answer) if response.status == 429 else None
                if wait is None:
                    if response.status >= 400:
                        raise MatrixError(path, answer.get("errcode"), answer.get("error", ""))
                    return answer
            self.on_limit()
            log.warning("Matrix rate limit on %s; waiting %d ms", path, wait)
            await asyncio.sleep(wait / 1000)
        raise MatrixError(path, "M_LIMIT_EXCEEDED", "still rate limited")

    def _account_path(self, kind: str) -> str:
        user = quote(self.client.user_id, safe="")
        return f"/_matrix/client/v3/user/{user}/account_data/{quote(kind, safe='')}"

    async def account_data(self, kind: str) -> dict[str, Any] | None:
        try:
            return await self.request("GET", self._account_path(kind))
        except MatrixError as err:
            if err.errcode == "M_NOT_FOUND":
                return None
            raise

    async def set_account_data(self, kind: str, content: Mapping[str, Any]) -> None:
        await self.request("PUT", self._account_path(kind), content)

    async def references(self, room_id: str, event_id: str) -> list[dict[str, Any]]:
        """Events that refer to `event_id` (a poll's responses), newest first."""
        room, event = quote(room_id, safe=""), quote(event_id, safe="")
        path = f"/_matrix/client/v1/rooms/{room}/relations/{event}/m.reference?dir=b&limit=100"
        answer = await self.request("GET", path)
        chunk = answer.get("chunk", [])
        return [e for e in chunk if isinstance(e, dict)]

    async def space_rooms(self, space_id: str) -> list[dict[str, Any]]:
        path = f"/_matrix/client/v1/rooms/{quote(space_id, safe='')}/hierarchy?max_depth=1"
        answer = await self.request("GET", path)
        rooms = answer.get("rooms", [])
        return [r for r in rooms if isinstance(r, dict) and r.get("room_id") != space_id]


def count_limits(client: AsyncClient, raw: RawCalls, count: Callable[[], None]) -> None:
    """Call `count` for every M_LIMIT_EXCEEDED, the ones nio waits out itself included."""

    async def seen(response: ErrorResponse) -> None:
        if response.status_code == "M_LIMIT_EXCEEDED":
            count()

    client.add_response_callback(seen, ErrorResponse)
    raw.on_limit = count
