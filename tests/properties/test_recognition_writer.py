"""The recognition writer's SQLite fast path (pre-rendered executemany) stores exactly what the
portable SQLAlchemy Core path (PostgreSQL's) stores, for any sequence of batches: the same raw
rows, byte for byte as SQLite holds them, and the same daily, weekly and period aggregates - which also
equal the raw rows counted afresh."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.recognition.periods import period_keys
from bot.features.recognition.ports import ContributionRow
from storage.db import Database
from storage.recognition_writer import write_rows, write_rows_portable

Writer = Callable[[AsyncConnection, Sequence[ContributionRow]], Awaitable[None]]
Tables = dict[str, list[tuple[object, ...]]]

ZONES = [UTC, ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/St_Johns"), ZoneInfo("Asia/Kolkata")]

names = st.one_of(st.sampled_from(["console:anna", "U123", "42"]), st.text(max_size=12))
kinds = st.one_of(st.sampled_from(["message", "reply", "vote", "adjustment"]), st.text(max_size=8))
moments = st.builds(
    lambda base, zone: base.astimezone(zone),
    st.datetimes(datetime(2020, 1, 1), datetime(2036, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(ZONES),
)


@st.composite
def batches(draw: st.DrawFn) -> list[list[ContributionRow]]:
    # A few moments shared by many rows: the fast path renders runs of equal moments once.
    pool = draw(st.lists(moments, min_size=1, max_size=4))
    moment = st.one_of(st.sampled_from(pool), moments)
    # The local day usually follows the moment; the writer must not assume it does.
    skew = st.sampled_from([0, 0, 0, -1, 1])
    row = st.builds(
        lambda member, kind, channel, at, length, ref, points, days: (
            member,
            kind,
            channel,
            at,
            length,
            ref,
            points,
            at.date() + timedelta(days=days),
        ),
        names,
        kinds,
        st.none() | names,
        moment,
        st.integers(0, 10**6),
        st.none() | names,
        st.integers(-5, 5),
        skew,
    )
    return draw(st.lists(st.lists(row, max_size=30), min_size=1, max_size=4))


async def write_all(path: Path, writer: Writer, work: list[list[ContributionRow]]) -> None:
    db = Database.from_url(f"sqlite:///{path}")
    try:
        for batch in work:  # one transaction per batch, as the BatchedWriter commits them
            async with db.begin() as conn:
                await writer(conn, batch)
    finally:
        await db.close()


def copy_of(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)  # a file copy: the template holds nothing in a -wal
    return target


def stored(path: Path) -> Tables:
    with sqlite3.connect(path) as conn:
        return {
            "contributions": conn.execute(
                "SELECT id, member_id, kind, channel, at, day, length, ref, points "
                "FROM contributions ORDER BY id"
            ).fetchall(),
            "daily": sorted(
                conn.execute(
                    "SELECT day, member_id, kind, count, points FROM contribution_daily"
                ).fetchall()
            ),
            "weekly": sorted(
                conn.execute(
                    "SELECT week, member_id, kind, count, points FROM contribution_weekly"
                ).fetchall()
            ),
            "totals": sorted(
                conn.execute("SELECT period, member_id, points FROM contribution_totals").fetchall()
            ),
        }


def recounted(
    work: list[list[ContributionRow]],
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The aggregates computed straight from the rows (zero totals left out on both sides)."""
    week_counts: Counter[tuple[str, str, str]] = Counter()
    week_points: Counter[tuple[str, str, str]] = Counter()
    counts: Counter[tuple[str, str, str]] = Counter()
    points: Counter[tuple[str, str, str]] = Counter()
    totals: Counter[tuple[str, str]] = Counter()
    for member, kind, _channel, _at, _length, _ref, value, day in (r for b in work for r in b):
        key = (day.isoformat(), member, kind)
        counts[key] += 1
        points[key] += value
        monday = (day - timedelta(days=day.weekday())).isoformat()
        week_counts[(monday, member, kind)] += 1
        week_points[(monday, member, kind)] += value
        for period in period_keys(day):
            totals[(period, member)] += value
    daily: list[tuple[object, ...]] = sorted((*key, counts[key], points[key]) for key in counts)
    weekly: list[tuple[object, ...]] = sorted(
        (*key, week_counts[key], week_points[key]) for key in week_counts
    )
    return daily, weekly, sorted((*k, v) for k, v in totals.items() if v)


async def compare(template: Path, work: list[list[ContributionRow]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        fast = copy_of(template, Path(tmp) / "fast.db")
        portable = copy_of(template, Path(tmp) / "portable.db")
        await write_all(fast, write_rows, work)
        await write_all(portable, write_rows_portable, work)
        fast_tables, portable_tables = stored(fast), stored(portable)
    assert fast_tables == portable_tables
    daily, weekly, totals = recounted(work)
    assert fast_tables["daily"] == daily
    assert fast_tables["weekly"] == weekly
    assert [r for r in fast_tables["totals"] if r[2] != 0] == totals
    assert len(fast_tables["contributions"]) == sum(len(b) for b in work)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(work=batches())
def test_the_sqlite_fast_path_stores_what_the_portable_path_stores(
    sqlite_template: Path, work: list[list[ContributionRow]]
) -> None:
    """Each example starts from copies of one database upgraded by the project's migrations."""
    asyncio.run(compare(sqlite_template, work))
