"""The fake gateway: HELLO, IDENTIFY (with intent enforcement: close code 4014), RESUME with
replay of missed dispatches, op 9 invalidation, heartbeats and op 8 member chunks.

Sharding as Discord does it: IDENTIFY may carry `shard: [id, count]`; the guild's events go only
to the shard that owns it, `(guild_id >> 22) % count` (an invalid shard is closed with 4010).
Another shard gets a READY without guilds and nothing after. Every IDENTIFY's arrival is kept
per bucket (`shard_id % max_concurrency`, GET /gateway/bot) to check the identify rate limit.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord import payloads as p

GUILD_MEMBERS = 1 << 1
MESSAGE_CONTENT = 1 << 15
CHUNK = 1000
"""Discord sends "up to 1000 members per chunk"."""
LARGE_THRESHOLD = 250
"""discord.py identifies with large_threshold 250; larger guilds arrive without their members."""


INVALID_SHARD = 4010


class GatewayMixin:
    """Mixed into FakeDiscord, whose __init__ owns the state used here (and calls
    `_shards_init`)."""

    def _shards_init(self) -> None:
        self.recommended_shards = 1
        """GET /gateway/bot's `shards`."""
        self.max_concurrency = 1
        """GET /gateway/bot's session_start_limit.max_concurrency: IDENTIFYs per 5 s."""
        self.identify_log: list[tuple[int, float]] = []
        """(shard id, event loop time) of every IDENTIFY, in arrival order."""
        self.shard_sockets: dict[int, web.WebSocketResponse] = {}
        """Sockets of shards that do not own the guild (they get READY, then no dispatches)."""
        self._shard_sessions: set[str] = set()

    def guild_shard(self, shard_count: int) -> int:
        return (int(self.guild_id) >> 22) % shard_count

    def identifies_per_bucket(self) -> dict[int, list[float]]:
        """bucket -> arrival times of its IDENTIFYs."""
        buckets: dict[int, list[float]] = {}
        for shard, at in self.identify_log:
            buckets.setdefault(shard % self.max_concurrency, []).append(at)
        return buckets

    async def _gateway_bot(self, request: web.Request) -> web.Response:
        """GET /gateway/bot as documented (a bot token's recommended shards and start limit)."""
        body = {
            "url": self.gateway_url,
            "shards": self.recommended_shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000 - len(self.identify_log),
                "reset_after": 14_400_000,
                "max_concurrency": self.max_concurrency,
            },
        }  # Discord's Content-Type is exactly application/json (discord.py compares it)
        return web.Response(
            body=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch (op 0) now, or keep it for a RESUME when no socket is connected."""
        self._seq += 1
        frame = {"op": 0, "t": event, "s": self._seq, "d": data}
        self._history.append(frame)
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_str(json.dumps(frame))
        await self._notify()

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the socket like a network hiccup: discord.py reconnects and RESUMEs."""
        ws = self._ws
        if ws is not None:
            self._ws = None
            await ws.close(code=code)

    async def close_gateway(self) -> None:
        """An outage: the socket closes and a reconnect gets no HELLO until `open_gateway`."""
        self._gateway_open.clear()
        await self.drop_connection(4000)

    def open_gateway(self) -> None:
        self._gateway_open.set()

    async def invalidate_session(self) -> None:
        """op 9 (not resumable): discord.py identifies again and gets a fresh READY."""
        if self._ws is not None:
            self._session = None
            await self._ws.send_str(json.dumps({"op": 9, "d": False}))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        if not self._gateway_open.is_set():
            self.held_connections += 1
            await self._notify()
            await self._gateway_open.wait()
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op, data = frame.get("op"), frame.get("d")
            if op == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                await self._identify(ws, data)
            elif op == 6:
                await self._resume(ws, data)
            elif op == 8:
                await self._member_chunks(data)
        if ws.close_code is not None:
            self.close_codes.append(ws.close_code)
        await self._notify()
        return ws

    async def _member_chunks(self, data: dict[str, Any]) -> None:
        """op 8 -> GUILD_MEMBERS_CHUNK like Discord: up to 1000 members a chunk, chunk_index /
        chunk_count, the nonce echoed only when valid (at most 32 bytes)."""
        self.chunk_requests += 1
        if str(data.get("guild_id")) != self.guild_id:
            return
        user_ids = data.get("user_ids")
        not_found: list[str] = []
        if user_ids is not None:
            wanted = [str(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])]
            found = [self.members[u] for u in wanted[:100] if u in self.members]
            not_found = [u for u in wanted[:100] if u not in self.members]
        else:
            query = str(data.get("query") or "").lower()
            found = [
                m for m in self.members.values() if m["user"]["username"].lower().startswith(query)
            ]
            limit = int(data.get("limit") or 0)
            if query or limit:
                found = found[: min(limit or 100, 100)]
        chunks = [found[i : i + CHUNK] for i in range(0, len(found), CHUNK)] or [[]]
        nonce = data.get("nonce")
        for index, members in enumerate(chunks):
            chunk: dict[str, Any] = {
                "guild_id": self.guild_id,
                "members": members,
                "chunk_index": index,
                "chunk_count": len(chunks),
            }
            if index == 0 and not_found:
                chunk["not_found"] = not_found
            if isinstance(nonce, str) and len(nonce.encode()) <= 32:
                chunk["nonce"] = nonce
            await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        self.identifies += 1
        shard_id, shard_count = data.get("shard") or [0, 1]
        self.identify_log.append((shard_id, asyncio.get_running_loop().time()))
        await self._notify()
        if not 0 <= shard_id < shard_count:
            self.close_codes.append(INVALID_SHARD)
            await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return
        intents = int(data.get("intents") or 0)
        if (intents & GUILD_MEMBERS and not self.members_intent_enabled) or (
            intents & MESSAGE_CONTENT and not self.content_intent_enabled
        ):
            self.close_codes.append(4014)
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        if shard_id != self.guild_shard(shard_count):
            await self._ready_without_guild(ws, shard_id, shard_count)
            return
        self._ws = ws
        self._session = self.new_id()
        self._seq = 0
        self._history = []
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot,
                "guilds": [{"id": self.guild_id, "unavailable": True}],
                "session_id": self._session,
                "resume_gateway_url": self.gateway_url,
                "shard": [shard_id, shard_count],
                "application": {"id": self.application_id, "flags": 0},
            },
        )
        await self.dispatch("GUILD_CREATE", self.guild_payload())

    async def _ready_without_guild(
        self, ws: web.WebSocketResponse, shard_id: int, shard_count: int
    ) -> None:
        session = self.new_id()
        self._shard_sessions.add(session)
        self.shard_sockets[shard_id] = ws
        ready = {
            "v": 10,
            "user": self.bot,
            "guilds": [],
            "session_id": session,
            "resume_gateway_url": self.gateway_url,
            "shard": [shard_id, shard_count],
            "application": {"id": self.application_id, "flags": 0},
        }
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": 1, "d": ready}))

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("session_id") in self._shard_sessions:
            self.resumes += 1
            await ws.send_str(json.dumps({"op": 0, "t": "RESUMED", "s": 2, "d": {}}))
            return
        if data.get("session_id") != self._session:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        self._ws = ws
        self.resumes += 1
        last = int(data.get("seq") or 0)
        for frame in self._history:
            if frame["s"] > last:
                await ws.send_str(json.dumps(frame))
        await self.dispatch("RESUMED", {})

    def guild_payload(self) -> dict[str, Any]:
        """Without the presences intent Discord sends only the connecting user's member; the
        rest comes by op 8 (discord.py asks, since member_count exceeds what it has)."""
        payload = p.guild(
            self.guild_id,
            self.owner["id"],
            list(self.roles.values()),
            [c for c in self.channels.values() if c["type"] == 0],
            [self.members[self.bot["id"]]],
        )
        payload["member_count"] = len(self.members)
        payload["large"] = len(self.members) > LARGE_THRESHOLD
        # GUILD_CREATE carries the guild's scheduled events (documented in the Guild Create event)
        payload["guild_scheduled_events"] = list(getattr(self, "scheduled_events", {}).values())
        return payload
