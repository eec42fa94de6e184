"""The batched writer: what is durable after an orderly shutdown, a crash, a cancelled write."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.events import MessagePosted
from tests.recognition.helpers import advance, member, message, running
from tests.support import ConsoleRun


def raw_rows(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT count(*) FROM contributions").fetchone()[0]


def daily_count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT coalesce(sum(count), 0) FROM contribution_daily").fetchone()[0]


def messages(n: int) -> list[MessagePosted]:
    return [message(member(f"m{i % 7}")) for i in range(n)]


async def test_orderly_shutdown_loses_nothing(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__FLUSH_BATCH"] = "100"
    async with running(console) as (plein, rec):
        for event in messages(250):  # two full batches written, 50 buffered
            await plein.dispatch(event)
        assert rec.writer.pending == 50
        assert raw_rows(console.db_path) == 200
    # leaving `running` closes the app: lifecycle.stop flushes before the database closes
    assert raw_rows(console.db_path) == 250
    assert daily_count(console.db_path) == 250


async def test_a_crash_loses_only_the_unflushed_buffer(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__FLUSH_BATCH"] = "100"
    plein, adapter, _ = await console.start()
    adapter.plein = plein
    await plein.ready()
    rec = plein.features["recognition"]
    for event in messages(130):
        await plein.dispatch(event)
    # The process dies: no flush, no lifecycle.stop - the buffer is simply gone.
    lost = rec.writer.discard()
    await plein.db.close()
    assert lost == 30
    assert raw_rows(console.db_path) == 100
    assert daily_count(console.db_path) == 100  # aggregates match what was committed


@pytest.mark.parametrize("yields", [1, 3, 8, 20, 60])
async def test_a_write_cancelled_mid_batch_is_all_or_nothing(
    console: ConsoleRun, yields: int
) -> None:
    """The task is cancelled after a varying number of event-loop turns (yields, not waits),
    so the cancel lands at different points of the write: before, inside or after the commit."""
    async with running(console) as (plein, rec):
        for event in messages(500):
            await plein.dispatch(event)
        assert rec.writer.pending == 500
        task = asyncio.create_task(rec.writer.flush())
        for _ in range(yields):  # let the write get some way, then kill it
            await asyncio.sleep(0)  # a bare yield to the event loop; no time passes
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        stored = raw_rows(console.db_path)
        assert stored in (0, 500)  # one transaction: never a partial batch
        assert daily_count(console.db_path) == stored  # and never raw without aggregates
        assert rec.writer.pending == 0  # a cancelled batch is not retried (it may have committed)
        # Events that arrive afterwards are written as usual.
        advance(plein, minutes=2)
        await plein.dispatch(message(member("late")))
    assert raw_rows(console.db_path) == stored + 1


async def test_the_flush_deadline_writes_a_quiet_buffer(console: ConsoleRun) -> None:
    async with running(console) as (plein, rec):
        await plein.dispatch(message(member("anna")))
        due = rec.writer.due()
        assert due is not None and (due - plein.clock.now()).total_seconds() == 0.25
        await plein.scheduler.advance_to(due)  # the scheduler's deadline source flushes it
        assert rec.writer.pending == 0
        assert raw_rows(console.db_path) == 1
