"""Which room is which: configured channels, the community rooms, and each member's DM room
(remembered in the bot's `m.direct` account data, as Matrix clients do)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from nio import AsyncClient, RoomCreateResponse, RoomPreset

from adapters.matrix.api import RawCalls, checked

log = logging.getLogger("plein.matrix")

DIRECT = "m.direct"


class Rooms:
    def __init__(self, client: AsyncClient, raw: RawCalls) -> None:
        self.client = client
        self.raw = raw
        self.channels: dict[str, str] = {}
        """Channel name -> room id, for the rooms Plein serves."""
        self.community: set[str] = set()
        """Room ids whose joins are joins of the community."""
        self.wanted: dict[str, str] = {}
        """Channel name -> room id of every configured room, joined or not (yet)."""
        self.community_names: set[str] = set()
        self.joined_at: dict[str, datetime] = {}
        """When each member last joined a community room (their membership event's time)."""
        self.direct: dict[str, str] = {}
        """Member user id -> the DM room Plein uses with them."""
        self._fresh: set[str] = set()
        """Rooms created or joined since the last sync (not yet in the client's room list)."""

    def note_joins(self, room_id: str, events: list[dict[str, Any]]) -> None:
        """Remember join times from membership events (state and timeline) of community rooms."""
        if room_id not in self.community:
            return
        for event in events:
            content = event.get("content") or {}
            user = event.get("state_key")
            when = event_time(event)
            if (
                event.get("type") == "m.room.member"
                and isinstance(user, str)
                and isinstance(content, dict)
                and content.get("membership") == "join"
                and when is not None
            ):
                known = self.joined_at.get(user)
                if known is None or when > known:
                    self.joined_at[user] = when

    def serve(self, name: str, room_id: str) -> None:
        """Plein is in the room now: it becomes a channel (and a community room if named so)."""
        self.channels[name] = room_id
        if name in self.community_names:
            self.community.add(room_id)

    def wanted_name(self, room_id: str) -> str | None:
        return next((name for name, rid in self.wanted.items() if rid == room_id), None)

    def name_of(self, room_id: str) -> str | None:
        return next((name for name, rid in self.channels.items() if rid == room_id), None)

    def is_direct(self, room_id: str) -> bool:
        return room_id in self.direct.values()

    def member_of_direct(self, room_id: str) -> str | None:
        return next((user for user, rid in self.direct.items() if rid == room_id), None)

    async def load_direct(self) -> None:
        data = await self.raw.account_data(DIRECT) or {}
        for user, rooms in data.items():
            if isinstance(rooms, list) and rooms and isinstance(rooms[-1], str):
                self.direct[user] = rooms[-1]

    async def remember_direct(self, user_id: str, room_id: str) -> None:
        self.direct[user_id] = room_id
        self._fresh.add(room_id)
        data: dict[str, Any] = await self.raw.account_data(DIRECT) or {}
        rooms = [r for r in data.get(user_id, []) if r != room_id] + [room_id]
        data[user_id] = rooms
        await self.raw.set_account_data(DIRECT, data)

    def _usable(self, user_id: str, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        if room is None:
            return room_id in self._fresh
        if room.encrypted:
            return False
        return user_id in room.users or user_id in room.invited_users

    async def direct_room(self, user_id: str) -> str:
        """The member's DM room, created (unencrypted, the member invited) on first need."""
        known = self.direct.get(user_id)
        if known is not None and self._usable(user_id, known):
            return known
        created = checked(
            "create DM",
            await self.client.room_create(
                is_direct=True, invite=[user_id], preset=RoomPreset.trusted_private_chat
            ),
        )
        assert isinstance(created, RoomCreateResponse)
        log.info("created a DM room with a member")
        await self.remember_direct(user_id, created.room_id)
        return created.room_id


def event_time(event: dict[str, Any]) -> datetime | None:
    """The homeserver's receive time of an event (`origin_server_ts`, milliseconds)."""
    stamp = event.get("origin_server_ts")
    if not isinstance(stamp, int) or isinstance(stamp, bool) or stamp < 0:
        return None
    return datetime.fromtimestamp(stamp / 1000, UTC)
