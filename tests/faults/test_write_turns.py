"""SQLite writers of one process take turns (storage/db.py, WriteTurns): a vote or a kudos that
arrives while the batched writer writes batch after batch gets the next turn, instead of polling
SQLite's lock from its busy handler and missing every gap until the busy timeout fails it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.health import StorageUnavailable
from bot.urgency import interactive_writes
from storage.db import Database


async def table(db: Database) -> None:
    async with db.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE t (who TEXT NOT NULL)")


async def hold_the_turn(db: Database) -> tuple[asyncio.Task[None], asyncio.Event]:
    """A writer that holds the write turn (having written 'long') until the event is set."""
    held = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with db.begin() as conn:
            await conn.exec_driver_sql("INSERT INTO t VALUES ('long')")
            held.set()
            await release.wait()

    holding = asyncio.create_task(holder())
    await held.wait()
    return holding, release


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
    holding, release = await hold_the_turn(db)
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


@pytest.mark.sqlite_file
async def test_the_inbox_write_an_ack_waits_for_goes_before_the_queued_writers(
    tmp_path: Path,
) -> None:
    """Counter batches, marks and follow-ups queue for the write lock; the inbox's commit (an
    urgent turn) is the next one after the write under way, then urgent and ordinary writers
    alternate (acks never starve the rest), each kind in its order."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'turns.db'}")
    await table(db)
    order: list[str] = []
    held = asyncio.Event()
    release = asyncio.Event()

    async def write(who: str, *, urgent: bool = False) -> None:
        async with db.begin(urgent=urgent) as conn:
            await conn.exec_driver_sql(f"INSERT INTO t VALUES ('{who}')")
            if who == "batch under way":
                held.set()
                await release.wait()
        order.append(who)

    under_way = asyncio.create_task(write("batch under way"))
    await held.wait()
    queued = [asyncio.create_task(write(f"batch {n}")) for n in range(3)]
    for _ in range(3):
        await asyncio.sleep(0)  # the batches queue for their turns first
    acks = [asyncio.create_task(write(f"inbox {n}", urgent=True)) for n in range(2)]
    for _ in range(3):
        await asyncio.sleep(0)
    release.set()
    await asyncio.gather(under_way, *queued, *acks)
    assert order == ["batch under way", "inbox 0", "batch 0", "inbox 1", "batch 1", "batch 2"]
    await db.close()


@pytest.mark.sqlite_file
async def test_a_writer_that_gives_up_its_place_does_not_keep_the_turn(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'turns.db'}")
    await table(db)

    async def waiter(who: str, urgent: bool) -> None:
        async with db.begin(urgent=urgent) as conn:
            await conn.exec_driver_sql(f"INSERT INTO t VALUES ('{who}')")

    holding, release = await hold_the_turn(db)
    gives_up = [asyncio.create_task(waiter("gone", urgent)) for urgent in (True, False)]
    stays = asyncio.create_task(waiter("stays", False))
    for _ in range(3):
        await asyncio.sleep(0)
    for task in gives_up:
        task.cancel()
    release.set()
    await holding
    await asyncio.wait_for(stays, 5)  # the turn passed over the cancelled ones
    async with db.begin(urgent=True) as conn:  # and is free again afterwards
        await conn.exec_driver_sql("INSERT INTO t VALUES ('after')")
    async with db.connect() as conn:
        rows = (await conn.exec_driver_sql("SELECT who FROM t")).all()
    assert [r[0] for r in rows] == ["long", "stays", "after"]
    await db.close()


@pytest.mark.sqlite_file
async def test_writes_within_an_interaction_take_urgent_turns(tmp_path: Path) -> None:
    """bot/urgency.py: the writes of a task answering a member's interaction take urgent turns
    without each store asking; a task it starts (a service task started lazily, say) does not."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'turns.db'}")
    await table(db)
    order: list[str] = []

    async def write(who: str) -> None:
        async with db.begin() as conn:
            await conn.exec_driver_sql(f"INSERT INTO t VALUES ('{who}')")
        order.append(who)

    async def interaction() -> asyncio.Task[None]:
        with interactive_writes():
            started = asyncio.create_task(write("started by it"))
            await write("click")
        return started

    holding, release = await hold_the_turn(db)
    queued = [asyncio.create_task(write(f"batch {n}")) for n in range(2)]
    for _ in range(3):
        await asyncio.sleep(0)
    click = asyncio.create_task(interaction())
    for _ in range(3):
        await asyncio.sleep(0)
    assert db.urgent_waiting()
    release.set()
    started = await click
    await asyncio.gather(holding, *queued, started)
    assert order == ["click", "batch 0", "batch 1", "started by it"]
    assert not db.urgent_waiting()
    await db.close()


@pytest.mark.sqlite_file
async def test_the_commit_a_defer_waits_for_goes_before_the_interactions_queued(
    tmp_path: Path,
) -> None:
    """Urgent (the inbox's commit an ack waits for) before interactive (an interaction's vote)
    before ordinary, one ordinary writer after each of the others while both wait."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'turns.db'}")
    await table(db)
    order: list[str] = []

    async def write(who: str, *, urgent: bool = False, interactive: bool = False) -> None:
        with interactive_writes(interactive):
            async with db.begin(urgent=urgent) as conn:
                await conn.exec_driver_sql(f"INSERT INTO t VALUES ('{who}')")
        order.append(who)

    holding, release = await hold_the_turn(db)
    waiting = [
        asyncio.create_task(write("batch 0")),
        asyncio.create_task(write("click 0", interactive=True)),
        asyncio.create_task(write("click 1", interactive=True)),
        asyncio.create_task(write("batch 1")),
        asyncio.create_task(write("inbox", urgent=True)),
    ]
    for _ in range(3):
        await asyncio.sleep(0)
    release.set()
    await asyncio.gather(holding, *waiting)
    assert order == ["inbox", "batch 0", "click 0", "batch 1", "click 1"]
    await db.close()
