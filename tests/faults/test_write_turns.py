"""SQLite writers of one process take turns (storage/db.py, WriteTurns): a vote or a kudos that
arrives while the batched writer writes batch after batch gets the next turn, instead of polling
SQLite's lock from its busy handler and missing every gap until the busy timeout fails it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.health import StorageUnavailable
from storage.db import Database, WriteTurns


async def table(db: Database) -> None:
    async with db.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (who TEXT NOT NULL)")


@pytest.mark.sqlite_file  # SQLite's one write lock per file is the subject
async def test_a_write_next_to_a_busy_writer_gets_the_next_turn(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'turns.db'}")
    await table(db)
    order: list[str] = []
    first_open = asyncio.Event()

    async def busy_writer() -> None:
        for n in range(40):
            async with db.begin() as conn:
                await conn.exec_driver_sql("INSERT INTO t VALUES ('batch')")
                first_open.set()
            order.append(f"batch {n}")

    async def one_vote() -> None:
        await first_open.wait()  # the writer holds the lock now
        async with db.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t VALUES ('vote')")
        order.append("vote")

    await asyncio.gather(busy_writer(), one_vote())
    assert order[:2] == ["batch 0", "vote"], order
    assert db.health.healthy
    await db.close()


@pytest.mark.sqlite_file
async def test_a_turn_that_never_comes_fails_like_a_locked_file(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'turns.db'}", busy_timeout=0.05)
    await table(db)
    held = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with db.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t VALUES ('long')")
            held.set()
            await release.wait()

    holding = asyncio.create_task(holder())
    await held.wait()
    with pytest.raises(StorageUnavailable, match="database is locked") as failed:
        async with db.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t VALUES ('late')")
    assert failed.value.transient
    assert not db.health.healthy, "a failed begin() marks storage unhealthy, as a locked file did"
    release.set()
    await holding
    async with db.connect() as conn:
        rows = (await conn.exec_driver_sql("SELECT who FROM t")).all()
    assert [r[0] for r in rows] == ["long"]
    await db.close()


async def test_an_urgent_writer_takes_the_next_turn_before_the_waiting_ones() -> None:
    """The inbox's commit (an ack waits for it) waits for the write under way only, not for the
    batched writes queued behind it; the others keep their order."""
    turns = WriteTurns(timeout=10)
    order: list[str] = []
    await turns.acquire()  # a batch is being written

    async def writer(name: str, *, urgent: bool = False) -> None:
        await turns.acquire(urgent=urgent)
        order.append(name)
        await asyncio.sleep(0)
        turns.release()

    queued = [asyncio.create_task(writer(f"batch {n}")) for n in range(3)]
    for _ in range(2):
        await asyncio.sleep(0)
    queued.append(asyncio.create_task(writer("inbox", urgent=True)))
    await asyncio.sleep(0)
    turns.release()
    await asyncio.gather(*queued)
    assert order == ["inbox", "batch 0", "batch 1", "batch 2"]


async def test_under_a_stream_of_urgent_writes_the_others_get_every_other_turn() -> None:
    """Acks keep coming: the handlers' writes still move, so the backlog does not only grow."""
    turns = WriteTurns(timeout=10)
    order: list[str] = []
    await turns.acquire()

    async def writer(name: str, *, urgent: bool = False) -> None:
        await turns.acquire(urgent=urgent)
        order.append(name)
        await asyncio.sleep(0)
        turns.release()

    queued = [asyncio.create_task(writer(f"vote {n}")) for n in range(2)]
    queued += [asyncio.create_task(writer(f"inbox {n}", urgent=True)) for n in range(3)]
    await asyncio.sleep(0)
    turns.release()
    await asyncio.gather(*queued)
    assert order == ["inbox 0", "vote 0", "inbox 1", "vote 1", "inbox 2"]


async def test_a_writer_that_gives_up_waiting_passes_its_turn_on() -> None:
    turns = WriteTurns(timeout=10)
    await turns.acquire()
    leaving = asyncio.create_task(turns.acquire(urgent=True))
    staying = asyncio.create_task(turns.acquire())
    await asyncio.sleep(0)
    leaving.cancel()  # a request whose client went away
    turns.release()
    await asyncio.wait_for(staying, 1)
    assert leaving.cancelled()
    turns.release()
    await turns.acquire()  # free again: no turn was lost
