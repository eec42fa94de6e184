"""Platforms redeliver: Slack retries an event it thinks was lost, Discord replays after a resume.
The core keeps the one replay memory; adapters pass the platform's event id along."""

from __future__ import annotations

import logging
from collections import OrderedDict

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

    def __len__(self) -> int:
        return len(self._seen)


class DropReplays:
    def __init__(self, memory: ReplayMemory) -> None:
        self.memory = memory

    def admits(self, event: Event) -> bool:
        if event.event_id is None or self.memory.first_time(event.event_id):
            return True
        log.info("dropped replayed event %s", event.event_id)
        return False
