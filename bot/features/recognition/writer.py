"""A batched writer with group commit: many events, one transaction.

Events are buffered in memory and written together when `max_batch` is reached, when the flush
deadline (`interval` after the first buffered event) comes due, or when the app flushes/stops.
A full batch is written behind, by one background task, while events keep arriving: the buffer is
swapped out and the caller never waits - except above the high-water mark (`high_water`, four
batches by default), where `append` asks the caller to await `flush()`: input is held back only
when the database cannot keep up, so memory stays bounded under any input rate.
Durability, stated plainly (tests/recognition/test_writer.py shows each case):
- an orderly flush or shutdown writes every event buffered when it is called (a flush does not
  chase rows that arrive while it writes: tests/recognition/test_writer_flush_bound.py);
- a batch is one transaction: after a crash it is either entirely stored or entirely absent -
  except that on SQLite the store hands the write turn over to an interaction waiting for it
  between parts of whole members (storage/recognition_parts.py): then each part is a
  transaction, stored or absent with its aggregates; what is lost is still at most one buffer;
- events still in the buffer when the process dies are lost: at most one buffer, which the
  high-water mark bounds (`high_water` events, four batches by default) or `interval` worth of
  traffic - acceptable for message counters, which is why kudos, votes and
  manager adjustments never go through here;
- a batch whose write failed with an error (database locked, ...) goes back to the buffer and is
  retried on the next flush; cancelling a flush does not cancel the write under way (it is
  shielded and commits), so a cancel loses nothing and never leaves a transaction open.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from bot.clock import Clock

log = logging.getLogger("plein.recognition.writer")

R = TypeVar("R")


class BatchedWriter(Generic[R]):
    def __init__(
        self,
        sink: Callable[[Sequence[R]], Awaitable[None]],
        *,
        clock: Clock,
        max_batch: int = 2000,
        interval: timedelta = timedelta(milliseconds=250),
        after_flush: Callable[[Sequence[R]], Awaitable[None]] | None = None,
        on_first: Callable[[], None] = lambda: None,
        max_buffer: int | None = None,
        high_water: int | None = None,
    ) -> None:
        self._sink = sink
        self._clock = clock
        self.max_batch = max_batch
        self.interval = interval
        self._after_flush = after_flush
        self._on_first = on_first
        self._max_buffer = max_buffer or max_batch * 100
        self.high_water = high_water or max_batch * 4
        self._behind: asyncio.Task[None] | None = None
        self._retry_at: datetime | None = None
        self._buffer: list[R] = []
        self._first_at: datetime | None = None
        self._lock = asyncio.Lock()
        self._inflight: asyncio.Future[None] | None = None
        self._inflight_rows: Sequence[R] = ()
        self._side_writes: set[asyncio.Future[None]] = set()
        self.written = 0
        self.dropped = 0

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def due(self) -> datetime | None:
        """When the buffered events must be written at the latest (None when empty)."""
        return None if self._first_at is None else self._first_at + self.interval

    async def add(self, row: R) -> None:
        if self.append(row):
            await self.flush()

    def append(self, row: R) -> bool:
        """Buffer one row without awaiting; True only above the high-water mark, when the caller
        must `await flush()` before taking more input. A full batch starts a write behind."""
        buffer = self._buffer
        buffer.append(row)
        size = len(buffer)
        if size == 1:
            self._first_at = self._clock.now()
            self._on_first()
        if size >= self.max_batch:
            self._write_behind()
        return size >= self.high_water

    def _write_behind(self) -> None:
        behind = self._behind
        if behind is not None and not behind.done():
            return
        if self._retry_at is not None and self._clock.now() < self._retry_at:
            return  # the last write failed: the flush deadline retries, not every event
        self._behind = asyncio.get_running_loop().create_task(self._flush_behind())

    async def settled(self) -> None:
        """Wait for the write behind under way, if any (tests, benchmarks)."""
        behind = self._behind
        if behind is not None and not behind.done():
            await asyncio.wait({behind})

    async def _flush_behind(self) -> None:
        try:
            await self._write(self.max_batch)
        except Exception:
            self._retry_at = self._clock.now() + self.interval
            log.exception("writing a batch failed; it is retried at the next flush")
        else:
            self._retry_at = None

    async def flush(self) -> None:
        """Write everything buffered when called. Rows added while it writes are left to the
        next flush or the deadline: under a steady stream a flush that took them too chased the
        stream, batch after small batch, and the inbox marker waiting on it fell behind."""
        await self._write(1, limit=len(self._buffer))

    async def flush_where(self, selects: Callable[[R], bool]) -> None:
        """Write only the buffered rows `selects` picks (one member's, say), in a transaction of
        their own, without the flush lock: a reader of one member's figures never queues behind
        the whole backlog. It waits for the write under way only when that batch holds some of
        its rows. Aggregates are sums, so the order of the two transactions does not matter."""
        inflight = self._inflight
        if inflight is not None and not inflight.done():
            holds_some = any(selects(row) for row in self._inflight_rows)
            if holds_some:
                await asyncio.wait({inflight})
        picked: list[R] = []
        kept: list[R] = []
        for row in self._buffer:
            (picked if selects(row) else kept).append(row)
        if not picked:
            return
        self._buffer = kept
        if not kept:
            self._first_at = None
        write = asyncio.ensure_future(self._sink(picked))
        self._side_writes.add(write)
        write.add_done_callback(self._side_writes.discard)
        try:
            await asyncio.shield(write)  # as in _write: a cancel never cuts a transaction
        except asyncio.CancelledError:
            write.add_done_callback(_log_failure)
            raise
        except Exception:
            self._requeue(picked)
            raise
        await self._written(picked)

    async def _written(self, rows: Sequence[R]) -> None:
        self.written += len(rows)
        if self._after_flush is not None:
            try:
                await self._after_flush(rows)
            except Exception:
                log.exception("after-flush hook failed")

    async def _write(self, at_least: int, limit: int | None = None) -> None:
        """Write batches while at least `at_least` rows are buffered (1: everything; a write
        behind writes full batches only and leaves the rest to the deadline), and, with a
        `limit`, until that many rows from the front were taken (rows are appended at the back,
        so the first `limit` hold every row buffered when the flush was called)."""
        async with self._lock:
            if self._inflight is not None and not self._inflight.done():
                await asyncio.wait({self._inflight})  # a write whose flush was cancelled
            if self._side_writes:  # a flush (shutdown) also waits for flush_where's writes
                await asyncio.wait(set(self._side_writes))
            while len(self._buffer) >= at_least and (limit is None or limit > 0):
                if len(self._buffer) <= self.max_batch:
                    rows, self._buffer = self._buffer, []  # swap: no copy
                else:
                    rows = self._buffer[: self.max_batch]
                    del self._buffer[: self.max_batch]
                if not self._buffer:
                    self._first_at = None
                if limit is not None:
                    limit -= len(rows)
                # Shielded: cancelling the flushing task (shutdown, a timeout) never interrupts
                # a transaction halfway - with aiosqlite that could leave the connection holding
                # SQLite's write lock. The write finishes (commits) on its own.
                write = self._inflight = asyncio.ensure_future(self._sink(rows))
                self._inflight_rows = rows
                try:
                    await asyncio.shield(write)
                except asyncio.CancelledError:
                    write.add_done_callback(_log_failure)
                    log.warning("flush cancelled; its write of %d events completes", len(rows))
                    raise
                except Exception:
                    self._requeue(rows)
                    raise
                await self._written(rows)

    def _requeue(self, rows: list[R]) -> None:
        self._buffer[:0] = rows
        if self._first_at is None:
            self._first_at = self._clock.now()
        overflow = len(self._buffer) - self._max_buffer
        if overflow > 0:
            del self._buffer[:overflow]
            self.dropped += overflow
            log.error("database unavailable: dropped %d buffered contributions", overflow)

    def discard(self) -> int:
        """Forget the buffer without writing (what a crash does); returns how many were lost."""
        lost = len(self._buffer)
        self._buffer.clear()
        self._first_at = None
        return lost


def _log_failure(write: asyncio.Future[None]) -> None:
    if not write.cancelled() and write.exception() is not None:
        log.error(
            "a batched write failed after its flush was cancelled", exc_info=write.exception()
        )
