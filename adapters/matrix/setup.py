"""At start: find the configured rooms (ids, aliases or a space's children), join them, and
refuse the end-to-end encrypted ones (Plein cannot read or write encrypted messages)."""

from __future__ import annotations

import logging

from nio import AsyncClient, RoomGetStateEventResponse, RoomResolveAliasResponse

from adapters.matrix.api import MatrixError, checked
from adapters.matrix.rooms import Rooms
from bot.config import PleinConfig
from bot.config.matrix import MatrixConfig

log = logging.getLogger("plein.matrix")


class RoomSetup:
    def __init__(
        self, client: AsyncClient, rooms: Rooms, settings: MatrixConfig, config: PleinConfig
    ) -> None:
        self.client = client
        self.rooms = rooms
        self.settings = settings
        self.config = config

    async def room_id(self, ref: str) -> str | None:
        if ref.startswith("!"):
            return ref
        resolved = await self.client.room_resolve_alias(ref)
        if isinstance(resolved, RoomResolveAliasResponse):
            return resolved.room_id
        log.warning("room alias %s not found", ref)
        return None

    async def wanted(self) -> dict[str, str]:
        """Channel name -> room id, from [matrix].rooms and the space's child rooms."""
        found: dict[str, str] = {}
        if self.settings.space:
            space_id = await self.room_id(self.settings.space)
            if space_id is not None:
                await self._join(space_id)
                for child in await self.rooms.raw.space_rooms(space_id):
                    name = child.get("name") or child.get("canonical_alias") or ""
                    local = str(name).removeprefix("#").split(":")[0].strip().lower()
                    if local and isinstance(child.get("room_id"), str):
                        found[local] = child["room_id"]
        for name, ref in self.settings.rooms.items():
            room_id = await self.room_id(ref)
            if room_id is not None:
                found[name] = room_id
        return found

    async def _join(self, room_id: str) -> bool:
        if room_id in self.client.rooms:
            return True
        try:
            checked("join", await self.client.join(room_id))
        except MatrixError as err:
            log.warning("cannot join room %s: %s (invite Plein first)", room_id, err.errcode)
            return False
        return True

    async def encrypted(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        if room is not None:
            return bool(room.encrypted)
        state = await self.client.room_get_state_event(room_id, "m.room.encryption")
        return isinstance(state, RoomGetStateEventResponse) and bool(state.content)

    async def configure(self) -> list[str]:
        """Join the wanted rooms; returns the names of the refused (encrypted) ones."""
        refused = []
        community = self.settings.community_rooms or [self.config.community.default_channel]
        self.rooms.community_names = set(community)
        self.rooms.wanted = await self.wanted()
        for name, room_id in self.rooms.wanted.items():
            if not await self._join(room_id):
                continue  # joined when the invite comes (adapters/matrix/incoming.py)
            if await self.encrypted(room_id):
                refused.append(name)
                continue
            self.rooms.serve(name, room_id)
        if not self.rooms.community:
            log.warning("no community room joined: joins are not seen; check [matrix].rooms")
        return refused
