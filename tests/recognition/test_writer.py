"""The batched writer: what is durable after an orderly shutdown, a crash, a cancelled write."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from pathlib import Path

import pytest

from bot.events import Actor, CommandInvoked, Interaction, MessagePosted
from tests.recognition.helpers import advance, member, message, running
from tests.support import ConsoleRun, one_row


async def raw_rows(url: str) -> int:
    (count,) = await one_row(url, "SELECT count(*) FROM contributions")
    return int(count)


async def daily_count(url: str) -> int:
    (count,) = await one_row(url, "SELECT coalesce(sum(count), 0) FROM contribution_daily")
    return int(count)


def messages(n: int) -> list[MessagePosted]:
    return [message(member(f"m{i % 7}")) for i in range(n)]


async def test_orderly_shutdown_loses_nothing(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__FLUSH_BATCH"] = "100"
    async with running(console) as (plein, rec):
        for event in messages(250):
            await plein.dispatch(event)
        assert rec.writer.pending == 250, "below the high-water mark no event waits for a write"
        await rec.writer.settled()  # the write behind stores full batches only
        assert rec.writer.pending == 50
        assert await raw_rows(console.url) == 200
    # leaving `running` closes the app: lifecycle.stop flushes before the database closes
    assert await raw_rows(console.url) == 250
    assert await daily_count(console.url) == 250


async def test_a_crash_loses_only_the_unflushed_buffer(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__FLUSH_BATCH"] = "100"
    plein, adapter, _ = await console.start()
    adapter.host = plein
    await plein.ready()
    rec = plein.features["recognition"]
    for event in messages(130):
        await plein.dispatch(event)
    await rec.writer.settled()  # the full batch was written behind
    # The process dies: no flush, no lifecycle.stop - the buffer is simply gone.
    lost = rec.writer.discard()
    await plein.db.close()
    assert lost == 30
    assert await raw_rows(console.url) == 100
    assert await daily_count(console.url) == 100  # aggregates match what was committed


@pytest.mark.parametrize("yields", [0, 1, 3, 8, 20, 60])
async def test_cancelling_a_flush_mid_batch_loses_nothing(console: ConsoleRun, yields: int) -> None:
    """The flushing task is cancelled after a varying number of event-loop turns (bare yields,
    no time passes), so the cancel lands before, inside or after the transaction. The write
    itself is shielded: it completes, exactly once, and leaves no lock behind."""
    async with running(console) as (plein, rec):
        for event in messages(500):
            await plein.dispatch(event)
        task = asyncio.create_task(rec.writer.flush())
        for _ in range(yields):
            await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert await raw_rows(console.url) in (0, 500)  # never a partial batch
        await rec.writer.flush()  # waits for the shielded write
        assert await raw_rows(console.url) == await daily_count(console.url) == 500
        advance(plein, minutes=2)
        await plein.dispatch(message(member("late")))  # the database is not left locked
    assert await raw_rows(console.url) == 501


KILLED_WRITER = """
import asyncio, sys
from datetime import UTC, datetime
from storage.db import Database
from storage.recognition import make_store

async def main(url, batch):
    db = Database.from_url(url)
    await db.migrate()
    store = make_store(db)
    at = datetime(2026, 3, 23, 9, tzinfo=UTC)
    n = 0
    while True:
        rows = [(f"m{i % 97}", "message", "algemeen", at, 30, f"r{n}-{i}", 1, at.date())
                for i in range(batch)]
        await store.record(rows)
        n += 1
        print(n, flush=True)

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def test_a_process_killed_mid_batch_keeps_whole_batches_only(storage_url: str) -> None:
    """SIGKILL while the writer is busy: every batch is either fully stored (raw rows and
    aggregates) or absent; the buffer of the dead process is simply gone."""
    batch = 5000
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, storage_url, str(batch)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None
    committed = [int(proc.stdout.readline()) for _ in range(3)]
    proc.kill()  # most likely in the middle of the next batch's transaction
    proc.wait(timeout=10)
    stored = asyncio.run(raw_rows(storage_url))
    assert stored % batch == 0
    assert stored >= committed[-1] * batch
    assert asyncio.run(daily_count(storage_url)) == stored
    if storage_url.startswith("sqlite"):
        (check,) = asyncio.run(one_row(storage_url, "PRAGMA integrity_check"))
        assert check == "ok"


async def test_input_is_held_back_only_above_the_high_water_mark(console: ConsoleRun) -> None:
    """Memory stays bounded whatever the input rate: past `high_water` buffered events the
    message handler waits for the database; below it, it never does."""
    console.env["PLEIN_RECOGNITION__FLUSH_BATCH"] = "100"
    async with running(console) as (plein, rec):
        assert rec.writer.high_water == 400
        most = 0
        for event in messages(2000):
            await plein.dispatch(event)
            most = max(most, rec.writer.pending)
        assert 300 <= most < 400  # grows past a batch, never past the mark
        assert await raw_rows(console.url) >= 1600
    assert await raw_rows(console.url) == await daily_count(console.url) == 2000


async def test_the_flush_deadline_writes_a_quiet_buffer(console: ConsoleRun) -> None:
    async with running(console) as (plein, rec):
        await plein.dispatch(message(member("anna")))
        due = rec.writer.due()
        assert due is not None and (due - plein.clock.now()).total_seconds() == 0.25
        await plein.scheduler.advance_to(due)  # the scheduler's deadline source flushes it
        assert rec.writer.pending == 0
        assert await raw_rows(console.url) == 1


async def rows_of(url: str, member_id: str) -> int:
    query = "SELECT count(*) FROM contributions WHERE member_id = :member_id"
    (count,) = await one_row(url, query, member_id=member_id)
    return int(count)


async def test_me_writes_only_its_members_rows_not_the_backlog(console: ConsoleRun) -> None:
    """/me must not queue behind every buffered batch (issue 16): it stores the asker's own
    buffered rows, in their own transaction, and leaves everyone else's to the writer."""
    console.env["PLEIN_RECOGNITION__FLUSH_BATCH"] = "1000"
    async with running(console) as (plein, rec):
        for event in messages(70):  # m0..m6, ten messages each, all still buffered
            await plein.dispatch(event)
        assert rec.writer.pending == 70 and await raw_rows(console.url) == 0
        asker = Actor("console:m3", "m3")
        ask = CommandInvoked(actor=asker, path=("me",), interaction=Interaction(id="i1"))
        await plein.dispatch(ask)
        assert await rows_of(console.url, "console:m3") == 10
        assert await raw_rows(console.url) == 10, "the others' rows were not written for /me"
        assert rec.writer.pending == 60
    assert await raw_rows(console.url) == await daily_count(console.url) == 70
