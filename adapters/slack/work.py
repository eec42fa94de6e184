"""The bounded work queue: how many acknowledged Slack requests may wait to be processed.

A request takes a place before its inbox write and gives it back when its handlers finished (or
at once, for a repeat or a failed write). When every place is taken Plein acknowledges nothing
more: it never acks what it will not get to. What it answers instead is the listener's choice
(adapters/slack/adapter.py): an event gets 503 (HTTP) or no envelope ack (Socket Mode), so Slack
delivers it again later; a slash command is acked with a short "busy, try again" for the member;
a click or form gets 503 and Slack shows the member that it did not go through.

Acknowledged work waits in a queue, not in a task each: a few workers (WORKERS) take it in
arrival order, and each gives the event loop a turn between two pieces of work. So acks come
first: however long the backlog, the loop has at most WORKERS pieces of work to run before it
reads the next request, and the database pool keeps connections free for the inbox write that
precedes every ack (a task per request had hundreds of handlers queueing for the pool and the
loop in front of it). A piece of work that waits on Slack (a rate limit, a slow users.info) holds
one worker, not the queue.

An orderly stop (`stop`) lets the pieces already running finish and leaves the waiting ones in
the inbox, unprocessed: they were stored before their ack, and the next start processes them
(`Inbox.pending`). A stop then takes as long as the longest running piece, not the whole backlog
(which a burst of acks can make longer than the shutdown grace).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger("plein.slack.work")

WORKERS = 64
"""Pieces of acknowledged work processed at once. Most of a piece's time is waiting (for Slack's
Web API, for the database's write turn), so few workers drain a backlog too slowly: with 12, a
backlog of a few hundred vote clicks was at times unfinished after the 5 s shutdown grace on a
loaded 2-core machine (tests/faults/test_sigkill.py), where a task per request finished it."""


Work = Coroutine[Any, Any, None]


class WorkQueue:
    def __init__(
        self,
        capacity: int,
        on_error: Callable[[BaseException], None],
        *,
        workers: int = WORKERS,
    ) -> None:
        self.capacity = capacity
        self.workers = workers
        self._on_error = on_error
        self._taken = 0
        self._waiting: deque[Work] = deque()
        self._running: set[asyncio.Task[None]] = set()
        self._workers = 0
        """Workers still taking work (a finished task may wait for its done callback)."""
        self.refused = 0
        self.stopped = asyncio.Event()
        """Set by `stop`: from then on nothing waiting is started."""

    @property
    def depth(self) -> int:
        """Places taken: requests being stored, waiting or being processed."""
        return self._taken

    @property
    def waiting(self) -> int:
        """Acknowledged work no worker has started yet."""
        return len(self._waiting)

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

    def run(self, work: Work) -> None:
        """Queue reserved work; its place is given back when it is done."""
        if self.stopped.is_set():  # stored in the inbox while stopping: the next start does it
            work.close()
            self._taken -= 1
            return
        self._waiting.append(work)
        if self._workers < self.workers:
            self._workers += 1
            task = asyncio.create_task(self._work())
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _work(self) -> None:
        waiting = self._waiting
        try:
            while waiting:
                work = waiting.popleft()
                try:
                    await work
                except Exception as error:
                    self._on_error(error)
                finally:
                    self._taken -= 1
                await asyncio.sleep(0)  # the loop's turn: the next ack before the next piece
        finally:
            self._workers -= 1
            if not self._workers:
                self._drop_waiting()

    def stop(self) -> None:
        """Start no more work: the running pieces finish, the waiting ones stay in the inbox."""
        self.stopped.set()
        left = len(self._waiting)
        self._drop_waiting()
        if left:
            log.info("stopping: %d acknowledged Slack requests left for the next start", left)

    def _drop_waiting(self) -> None:
        """The last worker was cancelled (shutdown): what waits is stored in the inbox,
        unprocessed, and the next start processes it."""
        while self._waiting:
            self._waiting.popleft().close()
            self._taken -= 1

    async def idle(self) -> None:
        """Wait until every piece of reserved work is done."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)
