"""The fake gateway: HELLO, IDENTIFY (with intent enforcement: close code 4014), RESUME with
replay of missed dispatches, op 9 invalidation, heartbeats and op 8 member chunks."""

from __future__ import annotations

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


class GatewayMixin:
    """Mixed into FakeDiscord, whose __init__ owns the state used here."""

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
        self._ws = ws
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
        intents = int(data.get("intents") or 0)
        if (intents & GUILD_MEMBERS and not self.members_intent_enabled) or (
            intents & MESSAGE_CONTENT and not self.content_intent_enabled
        ):
            self.close_codes.append(4014)
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
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
                "shard": [0, 1],
                "application": {"id": self.application_id, "flags": 0},
            },
        )
        await self.dispatch("GUILD_CREATE", self.guild_payload())

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        if data.get("session_id") != self._session:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
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
