"""The bounded work queue: how many acknowledged Slack requests may wait to be processed.

A request takes a place before its inbox write and gives it back when its handlers finished (or
at once, for a repeat or a failed write). When every place is taken Plein acknowledges nothing
more: it never acks what it will not get to. What it answers instead is the listener's choice
(adapters/slack/adapter.py): an event gets 503 (HTTP) or no envelope ack (Socket Mode), so Slack
delivers it again later; a slash command is acked with a short "busy, try again" for the member;
a click or form gets 503 and Slack shows the member that it did not go through.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger("plein.slack.work")


class WorkQueue:
    def __init__(self, capacity: int, on_error: Callable[[BaseException], None]) -> None:
        self.capacity = capacity
        self._on_error = on_error
        self._taken = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self.refused = 0

    @property
    def depth(self) -> int:
        """Places taken: requests being stored, waiting or being processed."""
        return self._taken

    def reserve(self) -> bool:
        """Take a place, or False (and count a refusal) when the queue is full."""
        if self._taken >= self.capacity:
            self.refused += 1
            if self.refused == 1 or self.refused % 1000 == 0:
                log.warning(
                    "Slack work queue full (%d): refusing requests so Slack retries (%d so far)",
                    self.capacity,
                    self.refused,
                )
            return False
        self._taken += 1
        return True

    def release(self) -> None:
        """Give back a place that was not used (a repeat, or the inbox could not write)."""
        self._taken -= 1

    def run(self, work: Coroutine[Any, Any, None]) -> None:
        """Process reserved work in a task; its place is given back when it is done."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._taken -= 1
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            assert error is not None
            self._on_error(error)

    async def idle(self) -> None:
        """Wait until every piece of reserved work is done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
