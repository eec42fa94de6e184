"""The durable inbox: what Plein acknowledges to a platform is stored first.

An adapter calls `accept` before it acknowledges (Slack's 200, the Socket Mode envelope ack, a
Discord interaction defer). `accept` returns once the row is committed: True for a new event,
False for one already stored (a platform retry, here or in another process: the table's unique
event id is the dedupe). When the row cannot be written it raises `InboxUnavailable`, and the
adapter must not acknowledge, so the platform retries later.

Many concurrent `accept` calls share one transaction (group commit): one writer task takes
everything queued while the previous commit ran, writes it at once and resolves each caller's
future after the commit. Nothing waits on a timer, so throughput grows with load.

Processing is at-least-once. After the handlers ran, `done` queues the id; the marker task first
flushes the batched writers (message counters live in memory until then; not for rows whose
replay would not run the handlers again, `done(after_writers=False)`), then marks the ids
processed and drops their payload (member text is kept only until processed). A crash before the
mark leaves the row unprocessed and `pending` hands it back at the next start. A replayed vote,
welcome, kudos or scheduled post cannot repeat: each is claimed by a unique key (ballot per
poll and member, welcome per member, occurrence per schedule). A message replayed after a crash
in the few milliseconds between the flush commit and the mark commit is not counted twice either:
the adapter marks a replayed event with when it was first received (`Event.replayed_from`) and
recognition looks for that message's row among those written since. A reaction (its rows have
no emoji to tell two reactions on one message apart) and a multi-choice vote click (a toggle)
store their event id in the same transaction as their effect (storage/inbox.claim_effect, a row
of this table under the "effect:" prefix), so a replay finds it and changes nothing.
README "Operations" states this.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.lifecycle import SERVICE_TASK_PREFIX
from bot.pipeline.replay import ReplayMemory

log = logging.getLogger("plein.inbox")

RETENTION = timedelta(days=2)
"""Processed rows are kept this long for dedupe (Slack retries for about an hour)."""


class InboxUnavailable(RuntimeError):
    """The inbox could not store an event: do not acknowledge it."""


@dataclass(frozen=True)
class InboxEntry:
    event_id: str
    kind: str
    """Who can replay it: 'slack.event', 'slack.command', 'discord.interaction'."""
    payload: str | None
    received_at: datetime


class InboxStore(Protocol):
    async def record(self, entries: Sequence[InboxEntry]) -> set[str]:
        """Insert the rows whose id is new, in one transaction; returns the ids inserted."""

    async def mark_processed(self, event_ids: Sequence[str], at: datetime) -> None:
        """Stamp processed_at and drop the payload, in one transaction."""

    async def unprocessed(self, kind_prefix: str) -> list[InboxEntry]:
        """Rows not yet processed whose kind starts with `kind_prefix`, oldest first."""

    async def prune(self, before: datetime) -> int:
        """Delete processed rows older than `before`; returns how many."""


class InboxPort(Protocol):
    """What an adapter may use of the inbox (through the host port)."""

    async def accept(self, event_id: str, kind: str, payload: str | None) -> bool: ...

    def done(self, event_id: str, *, after_writers: bool = True) -> None: ...

    async def pending(self, kind_prefix: str) -> list[InboxEntry]: ...


_Queued = tuple[InboxEntry, "asyncio.Future[bool]"]


class Inbox:
    def __init__(
        self,
        store: InboxStore,
        clock: Clock,
        *,
        flush: Callable[[], Awaitable[None]],
        remember: int = 20_000,
    ) -> None:
        self.store = store
        self.clock = clock
        self._flush = flush
        self._recent = ReplayMemory(remember)
        self._admitted: set[str] = set()
        self._queue: list[_Queued] = []
        self._marks: list[str] = []
        self._flush_first = False
        self._wake_writer = asyncio.Event()
        self._wake_marker = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._closing = False
        self.commits = 0

    # ---- the adapter's side -----------------------------------------------------------------

    async def accept(self, event_id: str, kind: str, payload: str | None) -> bool:
        """Store the event before it is acknowledged; False when it was stored before."""
        if event_id in self._recent:
            return False
        fresh = await self._write(InboxEntry(event_id, kind, payload, self.clock.now()))
        if fresh:
            self._admitted.add(event_id)
        return fresh

    def done(self, event_id: str, *, after_writers: bool = True) -> None:
        """The handlers for this event ran; mark it processed (after the batched writers).
        `after_writers=False`: a replay would not run the handlers again (a deferred Discord
        interaction is only apologised for), so the buffered counters need not be written
        first - before, every deferred /me or vote flushed the whole backlog."""
        self._admitted.discard(event_id)
        self._marks.append(event_id)
        self._flush_first = self._flush_first or after_writers
        self._start()
        self._wake_marker.set()

    async def pending(self, kind_prefix: str) -> list[InboxEntry]:
        """Rows acknowledged but not processed (a crash or a stop came first), to process now."""
        rows = await self.store.unprocessed(kind_prefix)
        for row in rows:
            self._recent.first_time(row.event_id)
            self._admitted.add(row.event_id)
        return rows

    # ---- the pipeline's replay step ---------------------------------------------------------

    async def first_time(self, event_id: str) -> bool:
        """True for an event the handlers have not seen. Events that came through `accept` (or
        `pending`) are admitted once. Any other id (Discord gateway events, which nothing
        acknowledges) is checked against this process's recent ids only: Discord replays
        dispatches after a RESUME of the same session, and a new session after a restart never
        replays old ones, so a table write per message (the hot path) would buy nothing."""
        if event_id in self._admitted:
            return True
        return self._recent.first_time(event_id)

    # ---- retention ---------------------------------------------------------------------------

    async def prune(self, now: datetime) -> None:
        """The daily job: processed rows past RETENTION are no longer needed for dedupe."""
        removed = await self.store.prune(now - RETENTION)
        if removed:
            log.info("pruned processed inbox rows", extra={"rows": removed})

    # ---- group commit ------------------------------------------------------------------------

    async def _write(self, entry: InboxEntry) -> bool:
        if self._closing:
            raise InboxUnavailable("Plein is stopping")
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((entry, future))
        self._start()
        self._wake_writer.set()
        return await future

    def _start(self) -> None:
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._writer(), name=SERVICE_TASK_PREFIX + "inbox-writer"),
                asyncio.create_task(self._marker(), name=SERVICE_TASK_PREFIX + "inbox-marker"),
            ]

    async def _writer(self) -> None:
        while True:
            await self._wake_writer.wait()
            self._wake_writer.clear()
            while self._queue:
                batch, self._queue = self._queue, []
                await asyncio.shield(self._commit(batch))

    async def _commit(self, batch: list[_Queued]) -> None:
        entries: dict[str, InboxEntry] = {}
        for entry, _ in batch:
            entries.setdefault(entry.event_id, entry)
        try:
            inserted = await self.store.record(list(entries.values()))
        except Exception as error:
            log.error("inbox write failed: %s", error)
            for _, future in batch:
                if not future.done():
                    future.set_exception(InboxUnavailable(str(error)))
            return
        self.commits += 1
        for entry, future in batch:
            fresh = entry.event_id in inserted
            inserted.discard(entry.event_id)  # a second copy in the same batch is a repeat
            self._recent.first_time(entry.event_id)
            if not future.done():
                future.set_result(fresh)

    async def _marker(self) -> None:
        while True:
            await self._wake_marker.wait()
            self._wake_marker.clear()
            while self._marks:
                await asyncio.shield(self._mark())

    async def _mark(self) -> None:
        ids, self._marks = self._marks, []
        flush, self._flush_first = self._flush_first, False
        try:
            if flush:
                await self._flush()
            await self.store.mark_processed(ids, self.clock.now())
        except Exception as error:
            # Left unprocessed: the next start replays them (at-least-once).
            log.error("inbox could not mark %d events processed: %s", len(ids), error)

    async def close(self) -> None:
        """Write what is queued, then stop the writer tasks."""
        self._closing = True
        if self._queue:
            batch, self._queue = self._queue, []
            await self._commit(batch)
        if self._marks:
            await self._mark()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
