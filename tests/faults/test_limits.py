"""Limits that hold under concurrency (issue 19, point 3): the database enforces each limit, so
twenty concurrent commands from one member get exactly what the limit allows - on SQLite and on
PostgreSQL (the `console` fixture's backend parameter, tests/conftest.py)."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select

from adapters.console import ConsoleAdapter
from bot.app import Plein
from storage.polls.tables import poll_ballots, poll_votes
from storage.recognition_tables import kudos
from tests.support import ConsoleRun

COMMUNITY = ["join anna", "join bob", "join carla"] + [f"join lid{i}" for i in range(20)]
SENT = "vastgelegd"


@asynccontextmanager
async def community(
    console: ConsoleRun, setup: list[str]
) -> AsyncIterator[tuple[Plein, ConsoleAdapter, io.StringIO]]:
    """A community with members and history, running; lines then go in through the console."""
    plein, adapter, out = await console.start()
    adapter.lines = setup
    await adapter.run(plein)
    try:
        yield plein, adapter, out
    finally:
        await plein.close()


async def at_once(adapter: ConsoleAdapter, lines: list[str]) -> None:
    await asyncio.gather(*(adapter.handle_line(line, n) for n, line in enumerate(lines, 1000)))


def printed(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def poll_ref(out: io.StringIO) -> str:
    return next(a["ref"] for a in printed(out) if a["text"].startswith("📊 Poll #1"))


def dms_to(out: io.StringIO, member: str) -> list[str]:
    return [a["text"] for a in printed(out) if a["action"] == "dm" and a.get("member") == member]


async def count(plein: Plein, query: Any) -> int:
    async with plein.db.connect() as conn:
        return int((await conn.execute(query)).scalar_one())


async def test_twenty_concurrent_kudos_give_exactly_the_daily_quota(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__KUDOS_PER_DAY"] = "5"
    async with community(console, COMMUNITY) as (plein, adapter, out):
        await at_once(adapter, [f'anna: /kudos @lid{i} "dank je"' for i in range(20)])
        stored = await count(plein, select(func.count()).select_from(kudos))
        replies = dms_to(out, "anna")
    assert stored == 5
    assert sum(SENT in r for r in replies) == 5
    assert sum("Je hebt je 5 kudos voor vandaag al gegeven." in r for r in replies) == 15
    received = sum(any("geeft je kudos" in t for t in dms_to(out, f"lid{i}")) for i in range(20))
    assert received == 5


async def test_twenty_concurrent_kudos_to_one_member_respect_the_pair_cooldown(
    console: ConsoleRun,
) -> None:
    console.env["PLEIN_RECOGNITION__KUDOS_PER_DAY"] = "50"
    async with community(console, COMMUNITY) as (plein, adapter, out):
        await at_once(adapter, ['anna: /kudos @bob "dank je"'] * 20)
        stored = await count(plein, select(func.count()).select_from(kudos))
        replies = dms_to(out, "anna")
    assert stored == 1
    assert sum(SENT in r for r in replies) == 1
    assert sum("onlangs al bedankt" in r for r in replies) == 19
    assert sum("geeft je kudos" in t for t in dms_to(out, "bob")) == 1


async def test_concurrent_picks_never_exceed_max_choices(console: ConsoleRun) -> None:
    setup = COMMUNITY + ['anna: /poll "Welke excursies?" A B C D E F max_choices:2']
    async with community(console, setup) as (plein, adapter, out):
        ref = poll_ref(out)
        picks = [f"{who} picks {ref} {o}" for o in "ABCDEF" for who in ("bob", "carla", "lid1")]
        await at_once(adapter, picks)
        votes = await count(plein, select(func.count()).select_from(poll_votes))
        ballots = await count(plein, select(func.count()).select_from(poll_ballots))
    assert ballots == 3
    assert votes == 6  # each member's first two picks; the other four hear "too many"


async def test_concurrent_picks_make_one_ballot_with_one_vote(console: ConsoleRun) -> None:
    setup = COMMUNITY + ['anna: /poll "Welke dag?" Ma Di Wo']
    async with community(console, setup) as (plein, adapter, out):
        ref = poll_ref(out)
        await at_once(adapter, [f"bob picks {ref} {o}" for o in ("Ma", "Di", "Wo")] * 7)
        votes = await count(plein, select(func.count()).select_from(poll_votes))
        ballots = await count(plein, select(func.count()).select_from(poll_ballots))
    assert (ballots, votes) == (1, 1)
