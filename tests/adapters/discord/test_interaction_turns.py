"""An interaction's writes take urgent write turns (bot/urgency.py, storage/db.py WriteTurns):
a /kudos that arrives while the counter batches queue for SQLite's one writer goes right after
the write under way, not behind the queue (issue 16: interactions never wait behind the
message backlog)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.adapters.discord.harness import DiscordRun


async def until(predicate: Callable[[], bool], within: float = 5.0) -> None:
    """Let the loop run (the gateway's frames arrive over loopback) until predicate() holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"{predicate.__name__} never held within {within} s")
        await asyncio.sleep(0)


@pytest.mark.sqlite_file  # SQLite's write turns are the subject (PostgreSQL has none)
async def test_a_kudos_goes_before_the_queued_ordinary_writers(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    kees, lot = fake.add_member("Kees"), fake.add_member("Lot")
    plein = await discord_run.start()
    db = plein.db
    await fake.say(lot["id"], "algemeen", "Goedemorgen allemaal, wie gaat er mee?")
    await discord_run.settle()
    held, release = asyncio.Event(), asyncio.Event()
    kudos_seen: list[int] = []

    async def under_way() -> None:
        async with db.begin():
            held.set()
            await release.wait()

    async def queued() -> None:
        async with db.begin() as conn:
            found = await conn.exec_driver_sql("SELECT count(*) FROM kudos")
            kudos_seen.append(int(found.scalar_one()))

    holding = asyncio.create_task(under_way())
    await held.wait()
    batches = [asyncio.create_task(queued()) for _ in range(3)]
    given = await fake.slash(kees["id"], "/kudos", member=lot, reason="de mooie excursie")
    await until(db.urgent_waiting)  # the kudos came over the gateway and waits for its turn
    release.set()
    await asyncio.gather(holding, *batches)
    reply = await discord_run.wait(lambda: fake.response_to(given))
    assert reply["type"] == 4
    assert kudos_seen == [1, 1, 1], "the kudos was written before the writers queued ahead of it"
    await discord_run.stop()
