"""The report reads whole weeks from `contribution_weekly` and the days around them from
`contribution_daily` (issues 16 and 18): its figures are exactly those the daily rows alone give,
for week-aligned periods (the weekly report, its chart, the ambassadors' weeks) and for any other
days; the migration backfills the weekly rows from the daily ones an existing community has.
On SQLite and PostgreSQL (the `backend` parameter)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import Connection, insert, select, text

from bot.features.report.facts import (
    CREATE_KINDS,
    OWN_KINDS,
    ActivitySummary,
    HelperRow,
    ReportDataError,
)
from bot.features.report.figures import ambassador_candidates, chart_series, compute
from bot.features.report.weeks import span_ending
from bot.health import StorageUnavailable
from storage.db import Database, alembic_config
from storage.recognition_tables import contribution_daily, contribution_weekly
from storage.report import SqlCommunityFacts
from storage.report_rows import full_weeks
from tests.report.seed import record_contributions, seed

TZ = ZoneInfo("Europe/Amsterdam")
FIRST = date(2026, 1, 5)  # a Monday: ten weeks of history up to Sunday 15 March
LAST = date(2026, 3, 15)
KINDS = ["message", "reply", "vote", "reaction_given", "reaction_received", "hosted"]
KINDS += ["prompt_answer", "adjustment"]
LONG_AGO = datetime(2024, 5, 1, tzinfo=UTC)


def member(name: str, joined: datetime, left: datetime | None = None) -> dict[str, Any]:
    return {
        "id": f"console:{name}",
        "name": name,
        "is_bot": name.startswith("bot"),
        "first_joined_at": joined,
        "joined_at": joined,
        "left_at": left,
        "join_count": 1,
    }


def community() -> tuple[list[dict[str, Any]], list[tuple[str, str, datetime]]]:
    """40 members here before Plein, newcomers every week, leavers, a bot; contributions on
    every day of the ten weeks at every hour (local midnights and DST included)."""
    draw = random.Random(16)
    members = [member(f"p{i}", LONG_AGO) for i in range(40)]
    start = datetime.combine(FIRST, datetime.min.time(), tzinfo=TZ)
    members += [member(f"n{i}", start + timedelta(days=5 * i, hours=7)) for i in range(14)]
    members += [
        member(f"gone{i}", LONG_AGO, start + timedelta(days=9 * i + 3, hours=20)) for i in range(6)
    ]
    members.append(member("bot", LONG_AGO))
    ids = [m["id"] for m in members] + ["console:ghost"]  # unknown to the registry
    rows = []
    for _ in range(1500):
        at = start + timedelta(minutes=draw.randrange(70 * 24 * 60))
        who = ids[int(len(ids) * draw.random() ** 2)]
        rows.append((who, draw.choice(KINDS), at))
    return members, rows


@pytest.fixture
async def facts(storage_url: str) -> AsyncIterator[SqlCommunityFacts]:
    db = Database.from_url(storage_url)
    await db.migrate()
    members, rows = community()
    await seed(db, "members", members)
    await record_contributions(db, rows, TZ)
    try:
        yield SqlCommunityFacts(db)
    finally:
        await db.close()


# ---- the same figures from the daily rows alone (the report before the weekly aggregate) -----


async def daily_rows(db: Database) -> list[tuple[str, date, str, int]]:
    d = contribution_daily.c
    async with db.connect() as conn:
        found = await conn.execute(select(d.member_id, d.day, d.kind, d.count))
        return [(str(m), _as_date(day), str(k), int(n)) for m, day, k, n in found]


async def present(db: Database, at: datetime) -> set[str]:
    return {m.id for m in await SqlCommunityFacts(db).present_members(at)}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def summary_from_days(db: Database, first: date, last: date, at: datetime) -> ActivitySummary:
    here = await present(db, at)
    kinds: defaultdict[str, int] = defaultdict(int)
    seen: defaultdict[str, set[str]] = defaultdict(set)
    for member_id, day, kind, count in await daily_rows(db):
        if first <= day <= last and kind in OWN_KINDS and member_id in here:
            kinds[kind] += count
            seen[member_id].add(kind)
    creators = sum(1 for found in seen.values() if found & CREATE_KINDS)
    voters = sum(1 for found in seen.values() if "vote" in found)
    return ActivitySummary(len(seen), creators, voters, {k: n for k, n in kinds.items() if n})


async def helpers_from_days(
    db: Database, blocks: list[tuple[date, date]], at: datetime
) -> list[HelperRow]:
    here = await present(db, at)
    weeks: defaultdict[str, set[int]] = defaultdict(set)
    sums: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for member_id, day, kind, count in await daily_rows(db):
        block = next((i for i, (s, e) in enumerate(blocks) if s <= day <= e), None)
        if block is None or member_id not in here:
            continue
        sums[member_id][kind] += count
        if kind in OWN_KINDS:
            weeks[member_id].add(block)
    out = []
    for member_id in sorted(sums):
        kinds = sums[member_id]
        if kinds["reply"] + kinds["prompt_answer"] + kinds["hosted"] == 0:
            continue
        out.append(
            HelperRow(
                member_id,
                len(weeks[member_id]),
                kinds["reply"],
                kinds["reaction_received"],
                kinds["prompt_answer"],
                kinds["hosted"],
            )
        )
    return out


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=TZ)


PERIODS = [
    (date(2026, 3, 9), date(2026, 3, 15)),  # the weekly report: one whole week
    (date(2026, 3, 4), date(2026, 3, 10)),  # /report on a Tuesday: two part-weeks
    (date(2026, 2, 14), date(2026, 3, 15)),  # 30 days: whole weeks and a weekend before
    (date(2026, 1, 3), date(2026, 1, 4)),  # before the first data
    (date(2026, 3, 15), date(2026, 3, 15)),  # one Sunday
]


async def test_the_split_of_a_period_covers_each_day_once() -> None:
    for first, last in PERIODS + [(FIRST + timedelta(days=i), LAST) for i in range(9)]:
        weeks = full_weeks(first, last)
        covered = []
        if weeks is not None:
            monday, last_monday = weeks
            assert monday.weekday() == 0 and monday >= first
            assert last_monday + timedelta(days=6) <= last
            covered = [monday + timedelta(days=n) for n in range((last_monday - monday).days + 7)]
        edges = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        edges = [day for day in edges if day not in covered]
        assert sorted(covered + edges) == [
            first + timedelta(days=n) for n in range((last - first).days + 1)
        ]
        assert all(sum(1 for d in edges if d - timedelta(d.weekday()) == w) < 7 for w in edges)


async def test_activity_summary_equals_the_daily_rows(facts: SqlCommunityFacts) -> None:
    assert len(await daily_rows(facts.db)) > 500
    for first, last in PERIODS:
        for at in (end_of(last), end_of(last) - timedelta(days=4)):
            expected = await summary_from_days(facts.db, first, last, at)
            assert await facts.activity_summary(first, last, at) == expected, (first, last, at)
    whole_week = await facts.activity_summary(*PERIODS[0], end_of(PERIODS[0][1]))
    assert whole_week.active > 10 and whole_week.creators and whole_week.voters


async def test_the_chart_weeks_equal_the_daily_rows(facts: SqlCommunityFacts) -> None:
    for last in (LAST, LAST - timedelta(days=3)):  # Sunday (aligned) and a Thursday
        spans = [
            (last - timedelta(days=7 * i + 6), last - timedelta(days=7 * i), end_of(last))
            for i in range(11, -1, -1)
        ]
        expected = [
            ((s := await summary_from_days(facts.db, first, end, at)).active, s.creators)
            for first, end, at in spans
        ]
        assert await facts.weekly_people(spans) == expected
        assert len({active for active, _ in expected}) > 2


async def test_the_ambassadors_weeks_equal_the_daily_rows(facts: SqlCommunityFacts) -> None:
    for last in (LAST, LAST - timedelta(days=2)):
        blocks = [
            (last - timedelta(days=7 * i + 6), last - timedelta(days=7 * i)) for i in range(4)
        ]
        expected = await helpers_from_days(facts.db, blocks, end_of(last))
        assert await facts.helpers(blocks, end_of(last)) == expected
        assert any(row.active_weeks >= 3 for row in expected)


async def test_the_report_reads_the_weekly_table(facts: SqlCommunityFacts) -> None:
    """A weekly table that cannot be read is a storage failure or an error the managers see,
    never a zero (and the daily rows alone no longer answer a whole week)."""
    async with facts.db.begin() as conn:
        await conn.execute(text("ALTER TABLE contribution_weekly RENAME COLUMN count TO aantal"))
    blocks = [(PERIODS[0][0] - timedelta(days=7), PERIODS[0][0] - timedelta(days=1)), PERIODS[0]]
    with pytest.raises((ReportDataError, StorageUnavailable)):
        await facts.helpers(blocks, end_of(PERIODS[0][1]))


@pytest.mark.parametrize(
    ("table", "column"),
    [("contribution_week_people", "days"), ("contribution_week_counts", "members")],
)
async def test_the_report_reads_the_people_tables(
    facts: SqlCommunityFacts, table: str, column: str
) -> None:
    """The people counts come from the week-people tables (issue 18): one that cannot be read
    is an error the managers see, never a zero."""
    async with facts.db.begin() as conn:
        await conn.execute(text(f"ALTER TABLE {table} RENAME COLUMN {column} TO kapot"))
    with pytest.raises((ReportDataError, StorageUnavailable)):
        await facts.activity_summary(*PERIODS[0], end_of(PERIODS[0][1]))


# ---- the migration -------------------------------------------------------------------------


def _upgrade_to(revision: str) -> Any:
    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    return run


async def test_the_migration_backfills_the_weeks_from_the_daily_rows(
    empty_storage_url: str,
) -> None:
    db = Database.from_url(empty_storage_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_upgrade_to("0020_dashboard"))
        draw = random.Random(18)
        daily: dict[tuple[date, str, str], tuple[int, int]] = {}
        for _ in range(300):
            key = (FIRST + timedelta(days=draw.randrange(70)), f"m{draw.randrange(9)}", "reply")
            daily[key] = (draw.randrange(1, 9), draw.randrange(-3, 9))
        async with db.begin() as conn:
            await conn.execute(
                insert(contribution_daily),
                [
                    {"day": d, "member_id": m, "kind": k, "count": n, "points": p}
                    for (d, m, k), (n, p) in daily.items()
                ],
            )
        await db.migrate()
        expected: defaultdict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for (d, m, k), (n, p) in daily.items():
            slot = expected[(d - timedelta(days=d.weekday()), m, k)]
            slot[0] += n
            slot[1] += p
        w = contribution_weekly.c
        async with db.connect() as conn:
            found = await conn.execute(select(w.week, w.member_id, w.kind, w.count, w.points))
            weekly = {(_as_date(wk), m, k): [n, p] for wk, m, k, n, p in found}
        assert weekly == dict(expected)
        assert len(weekly) < len(daily)
    finally:
        await db.close()


async def test_the_report_figures_equal_those_read_from_daily_rows_only(
    facts: SqlCommunityFacts,
) -> None:
    """Old (daily rows only) and new (whole weeks from the weekly rows) give the same report."""
    daily_only = SqlCommunityFacts(facts.db)
    daily_only.whole_weeks = False
    for last in (LAST, LAST - timedelta(days=3)):
        moment = end_of(last) + timedelta(hours=9)
        span = span_ending(last, 7, TZ, moment)
        for source in (facts, daily_only):
            assert source.whole_weeks is (source is facts)
        assert await compute(facts, span, TZ) == await compute(daily_only, span, TZ)
        assert await chart_series(facts, last, 12, TZ, moment) == await chart_series(
            daily_only, last, 12, TZ, moment
        )
        found = await ambassador_candidates(facts, span, weeks=4, min_weeks=3, limit=5)
        assert found == await ambassador_candidates(daily_only, span, weeks=4, min_weeks=3, limit=5)
        assert found, "the dataset has ambassador candidates"
