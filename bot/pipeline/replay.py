"""Platforms redeliver: Slack retries an event it thinks was lost, Discord replays after a resume.
Adapters pass the platform's event id along; this step drops an id seen before.

The truth is the durable inbox's table (bot/inbox.py): its unique event id survives restarts and
is shared by every process on one database. `ReplayMemory` is the in-memory fast path in front of
it (and the whole check where no inbox is wired, as in unit tests of the dispatcher).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Protocol

from bot.events import Event

log = logging.getLogger("plein.dispatcher")


class ReplayMemory:
    """The most recent `capacity` event ids, oldest forgotten first."""

    def __init__(self, capacity: int = 20_000) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity

    def first_time(self, event_id: str) -> bool:
        """True the first time an id is seen (and remembers it), False for a repeat."""
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        if len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._seen

    def __len__(self) -> int:
        return len(self._seen)


class SeenEvents(Protocol):
    async def first_time(self, event_id: str) -> bool:
        """True the first time an event id reaches the handlers."""


class InMemorySeen:
    """Replay memory of this process only (no inbox wired)."""

    def __init__(self, memory: ReplayMemory) -> None:
        self.memory = memory

    async def first_time(self, event_id: str) -> bool:
        return self.memory.first_time(event_id)


class DropReplays:
    def __init__(self, seen: SeenEvents) -> None:
        self.seen = seen

    async def admits(self, event: Event) -> bool:
        if event.event_id is None or await self.seen.first_time(event.event_id):
            return True
        log.info("dropped replayed event %s", event.event_id)
        return False
