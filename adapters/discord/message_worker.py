"""One worker for the message stream: no task per message.

Messages do not get a task each (discord.py's default): the lean parser (lean_messages.py) turns
a MESSAGE_CREATE into a small Plein event and queues it here, and one worker dispatches the queue
in slices of SLICE seconds, yielding to the event loop in between, so an interaction (its own
task) gets a turn of the loop at least every SLICE seconds however long the queue.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from bot.events import Event

log = logging.getLogger("plein.discord.messages")

SLICE = 0.002
"""Seconds of message work between two turns of the event loop."""


class MessageWorker:
    def __init__(self, dispatch: Callable[[Event], Awaitable[None]]) -> None:
        self._dispatch = dispatch
        self._queue: deque[Event] = deque()
        self._ready = asyncio.Event()

    @property
    def queued(self) -> int:
        return len(self._queue)

    def take(self, event: Event) -> None:
        self._queue.append(event)
        self._ready.set()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._ready.wait()
            await self.work_off(loop.time() + SLICE)
            if not self._queue:
                self._ready.clear()
            await asyncio.sleep(0)

    async def work_off(self, until: float) -> None:
        """Dispatch queued events until the loop time `until` (inf: all of them)."""
        queue = self._queue
        loop = asyncio.get_running_loop()
        while queue and loop.time() < until:
            event = queue.popleft()
            try:
                await self._dispatch(event)
            except Exception:
                log.exception("dispatching a message failed")
