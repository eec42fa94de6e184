"""Plein with the Matrix adapter against the session's real Synapse, and members as real
Matrix clients (matrix-nio). Nothing sleeps: a member waits for what Plein sends by syncing
(the homeserver's long-poll), with a deadline."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from nio import AsyncClient, JoinResponse, RoomCreateResponse, RoomSendResponse, SyncResponse

from adapters.matrix import MatrixAdapter
from bot.app import Plein, build
from bot.clock import ManualClock
from tests.adapters.matrix.synapse_server import Synapse
from tests.support import EXAMPLE_START, config_from

WAIT = 30.0
CHANNELS = ("algemeen", "welkom", "bestuur", "voorstellen")

MESSAGES = frozenset(
    {"m.room.message", "org.matrix.msc3381.poll.start", "org.matrix.msc3381.poll.end"}
)
"""What counts as Plein saying something (not its room-creation and membership events)."""

Seen = tuple[str, dict[str, Any]]
"""(room id, event)"""


class Person:
    """A community member on their own Matrix client; accepts every invite (DMs from Plein)."""

    def __init__(self, synapse: Synapse, name: str) -> None:
        registered = synapse.register(name)
        self.user_id: str = registered["user_id"]
        self.token: str = registered["access_token"]
        self.client = AsyncClient(synapse.url, self.user_id)
        self.client.access_token = self.token
        self.since: str | None = None
        self.seen: list[Seen] = []
        self._returned: set[int] = set()

    async def sync(self, wait_ms: int = 0) -> None:
        response = await self.client.sync(timeout=wait_ms, since=self.since)
        assert isinstance(response, SyncResponse), response
        self.since = response.next_batch
        for room_id in response.rooms.invite:
            joined = await self.client.join(room_id)
            assert isinstance(joined, JoinResponse), joined
        for room_id, info in response.rooms.join.items():
            self.seen += [(room_id, e.source) for e in info.timeline.events]

    async def wait_for(self, match: Callable[[str, dict[str, Any]], bool], what: str) -> Seen:
        """The earliest matching event not returned by wait_for before, syncing until it comes
        (in any order: what Plein did while the test looked elsewhere is still found)."""

        async def look() -> Seen:
            while True:
                for index, (room_id, event) in enumerate(self.seen):
                    if index not in self._returned and match(room_id, event):
                        self._returned.add(index)
                        return room_id, event
                await self.sync(wait_ms=5000)

        try:
            return await asyncio.wait_for(look(), WAIT)
        except TimeoutError:
            bodies = [body(e) for _, e in self.seen if e.get("sender") != self.user_id][-8:]
            raise AssertionError(f"{self.user_id} never saw {what}; last seen: {bodies}") from None

    async def from_plein(self, bot: str, contains: str, room: str | None = None) -> Seen:
        def match(room_id: str, event: dict[str, Any]) -> bool:
            return (
                event.get("sender") == bot
                and event.get("type") in MESSAGES
                and (room is None or room_id == room)
                and contains.lower() in body(event).lower()
            )

        return await self.wait_for(match, f"a message from Plein containing {contains!r}")

    async def send(
        self, room_id: str, content: dict[str, Any], kind: str = "m.room.message"
    ) -> str:
        sent = await self.client.room_send(room_id, kind, content)
        assert isinstance(sent, RoomSendResponse), sent
        return str(sent.event_id)

    async def say(self, room_id: str, text: str, **extra: Any) -> str:
        return await self.send(room_id, {"msgtype": "m.text", "body": text, **extra})

    async def reply(self, room_id: str, event_id: str, text: str) -> str:
        relation = {"m.in_reply_to": {"event_id": event_id}}
        return await self.say(room_id, text, **{"m.relates_to": relation})

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
        return await self.send(room_id, {"m.relates_to": relation}, "m.reaction")

    async def vote(self, room_id: str, poll_event: str, answers: list[str]) -> str:
        content = {
            "m.relates_to": {"rel_type": "m.reference", "event_id": poll_event},
            "org.matrix.msc3381.poll.response": {"answers": answers},
        }
        return await self.send(room_id, content, "org.matrix.msc3381.poll.response")

    async def join(self, room_id: str) -> None:
        joined = await self.client.join(room_id)
        assert isinstance(joined, JoinResponse), joined

    async def close(self) -> None:
        await self.client.close()


def body(event: dict[str, Any]) -> str:
    content = event.get("content") or {}
    text = content.get("body") or content.get("org.matrix.msc1767.text") or ""
    return str(text)


@dataclass
class Community:
    """Rooms made by the owner (a manager), Plein invited; members join later."""

    synapse: Synapse
    tmp_path: Path
    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    rooms: dict[str, str] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    plein: Plein | None = None
    adapter: MatrixAdapter | None = None
    _task: asyncio.Task[None] | None = None
    clock: ManualClock = field(
        default_factory=lambda: ManualClock(datetime.fromisoformat(EXAMPLE_START))
    )

    adapter_options: dict[str, Any] = field(default_factory=dict)

    def person(self, name: str) -> Person:
        member = Person(self.synapse, f"{name}-{self.suffix}")
        self.people.append(member)
        return member

    async def create(
        self, encrypted: tuple[str, ...] = (), uninvited: tuple[str, ...] = ()
    ) -> None:
        self.owner = self.person("owner")
        self.bot = self.synapse.register(f"plein-{self.suffix}")
        for name in CHANNELS:
            state = [] if name in uninvited else [public_join_rules()]  # invite only
            if name in encrypted:
                state.append(encryption())
            invite = [] if name in uninvited else [self.bot["user_id"]]
            created = await self.owner.client.room_create(
                name=name, invite=invite, initial_state=state
            )
            assert isinstance(created, RoomCreateResponse), created
            self.rooms[name] = created.room_id

    @property
    def bot_id(self) -> str:
        return str(self.bot["user_id"])

    async def start(self, config_text: str | None = None) -> Plein:
        env = {
            "PLEIN_MATRIX__HOMESERVER": self.synapse.url,
            "PLEIN_MATRIX__ACCESS_TOKEN": self.bot["access_token"],
            "PLEIN_MATRIX__ROOMS": json.dumps(self.rooms),
            "PLEIN_MATRIX__SYNC_TIMEOUT": "5s",
            "PLEIN_COMMUNITY__MANAGERS": json.dumps([self.owner.user_id]),
            "PLEIN_COMMUNITY__LANGUAGE": "en",
        }
        config = config_from(config_text, db_path=self.tmp_path / "plein.db", **env)
        self.adapter = MatrixAdapter(config, **self.adapter_options)
        self.plein = await build(config, self.adapter, clock=self.clock)
        self._task = asyncio.create_task(self.plein.run())
        waiter = asyncio.create_task(self.adapter.connected.wait())
        done, _ = await asyncio.wait(
            {waiter, self._task}, timeout=WAIT, return_when="FIRST_COMPLETED"
        )
        if self._task in done:
            waiter.cancel()
            await self._task
        assert waiter in done, "Plein did not connect to Synapse"
        return self.plein

    async def restart(self) -> Plein:
        await self.stop()
        return await self.start()

    async def stop(self) -> None:
        if self.plein is not None and self._task is not None:
            await self.plein.stop()
            await asyncio.wait_for(self._task, WAIT)
            self._task = None

    async def advance(self, **delta: float) -> None:
        assert self.plein is not None and self.plein.time_control is not None
        await self.plein.time_control.advance_to(self.plein.clock.now() + timedelta(**delta))

    async def close(self) -> None:
        await self.stop()
        for member in self.people:
            await member.close()


def public_join_rules() -> dict[str, Any]:
    return {"type": "m.room.join_rules", "state_key": "", "content": {"join_rule": "public"}}


def encryption() -> dict[str, Any]:
    return {
        "type": "m.room.encryption",
        "state_key": "",
        "content": {"algorithm": "m.megolm.v1.aes-sha2"},
    }
