"""The batched writer hands SQLite's write turn over to an interaction between parts of a batch
(storage/recognition_parts.py): a vote or a kudos waits for one part's write, not the batch's;
nobody else cuts in; and the parts write what the batch in one piece writes."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.features.recognition.ports import ContributionRow
from storage.db import Database
from storage.recognition import SqlRecognitionStore
from storage.recognition_parts import member_parts
from storage.recognition_writer import write_rows
from tests.support import all_rows

AGGREGATES = (
    "contribution_daily",
    "contribution_weekly",
    "contribution_totals",
    "contribution_week_people",
    "contribution_day_kinds",
    "contribution_week_counts",
    "contribution_unregistered",
)


def batch(n: int, members: int = 12) -> list[ContributionRow]:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    out: list[ContributionRow] = []
    for i in range(n):
        at = start + timedelta(minutes=37 * i)
        kind = ("message", "reply", "reaction_received")[i % 3]
        who = f"m{(i * i) % members}"  # uneven: some members post far more than others
        out.append((who, kind, "algemeen", at, 10 + i, f"r{i}", 1 + i % 2, at.date()))
    return out


async def contents(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every aggregate table and the raw rows, as text (dates read back alike on both backends)."""
    queries = {t: f"SELECT * FROM {t}" for t in AGGREGATES}
    queries["contributions"] = "SELECT member_id, kind, ref, points FROM contributions"
    return {
        name: sorted(tuple(str(value) for value in row) for row in await all_rows(url, sql))
        for name, sql in queries.items()
    }


def test_parts_hold_whole_members_in_order() -> None:
    rows = batch(100)
    parts = member_parts(rows, 25)
    assert len(parts) > 1
    assert sorted(r for part in parts for r in part) == sorted(rows)
    owners = Counter(member for part in parts for member in {r[0] for r in part})
    assert set(owners.values()) == {1}, "each member's rows are in one part"
    for part in parts:
        assert list(part) == [r for r in rows if r in part], "a part keeps the batch's order"
    assert member_parts(rows, 100) == [rows]


async def test_a_batch_in_parts_writes_what_one_piece_writes(
    storage_url: str, tmp_path: Path
) -> None:
    """Parts of whole members add up to the same raw rows and aggregates (both backends)."""
    db = Database.from_url(storage_url)
    await db.migrate()
    await SqlRecognitionStore(db, part_rows=10).record(batch(90))
    await db.close()
    whole_url = f"sqlite:///{tmp_path / 'whole.db'}"
    whole = Database.from_url(whole_url)
    await whole.migrate()
    async with whole.begin() as conn:
        await write_rows(conn, batch(90))
    await whole.close()
    assert await contents(storage_url) == await contents(whole_url)


async def rows_seen(db: Database, *, urgent: bool) -> int:
    async with db.begin(urgent=urgent) as conn:
        return int((await conn.exec_driver_sql("SELECT count(*) FROM contributions")).scalar_one())


@pytest.mark.sqlite_file  # SQLite's write turns are the subject (PostgreSQL writers do not queue)
async def test_an_urgent_writer_gets_the_turn_between_two_parts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plein.db'}"
    db = Database.from_url(url)
    await db.migrate()
    rows = batch(90)
    writing = asyncio.create_task(SqlRecognitionStore(db, part_rows=10).record(rows))
    await asyncio.sleep(0)  # the batch holds the turn
    vote = asyncio.create_task(rows_seen(db, urgent=True))
    await asyncio.gather(writing, vote)
    assert 0 < vote.result() < len(rows), "the vote came between parts, not after the batch"
    ordinary = asyncio.create_task(SqlRecognitionStore(db, part_rows=10).record(rows))
    await asyncio.sleep(0)
    counter = asyncio.create_task(rows_seen(db, urgent=False))
    await asyncio.gather(ordinary, counter)
    assert counter.result() == 2 * len(rows), "an ordinary writer waits for the whole batch"
    await db.close()
    whole_url = f"sqlite:///{tmp_path / 'whole.db'}"
    whole = Database.from_url(whole_url)
    await whole.migrate()
    async with whole.begin() as conn:
        await write_rows(conn, rows)
        await write_rows(conn, rows)
    await whole.close()
    assert await contents(url) == await contents(whole_url)
