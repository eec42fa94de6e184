"""What keeps /report fast in the middle of a week at 10M contributions (issues 16 and 18):
the ambassadors' candidates come from whole-week rows, and the daily rows around them are
only read by member (the figures themselves are compared with the full computation in
test_week_people.py and test_weekly_aggregates.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.features.report.facts import BestHelpers
from storage.helper_ranking import best_helpers, help_bounds
from storage.report import SqlCommunityFacts
from storage.report_rows import joined, period_rows
from storage.week_people_queries import HELP_KINDS, helper_rows
from tests.report.test_week_people import MID_WEEK, end_of, facts  # noqa: F401
from tests.report.test_weekly_aggregates import LAST, summary_from_days


@contextmanager
def statements(source: SqlCommunityFacts) -> Iterator[list[str]]:
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    engine = source.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


async def test_mid_week_ambassadors_read_daily_rows_only_by_member(
    facts: SqlCommunityFacts,  # noqa: F811
) -> None:
    """On a Wednesday every 7-day block is two part-weeks: the best helpers are found from the
    weekly rows, and only their own daily rows are read (by key), never a range of days."""
    moment = end_of(MID_WEEK) + timedelta(hours=9)
    blocks = [
        (MID_WEEK - timedelta(days=7 * i + 6), MID_WEEK - timedelta(days=7 * i)) for i in range(4)
    ]
    sums = period_rows(joined(blocks), list(HELP_KINDS))
    assert sums is not None
    async with facts.db.connect() as conn:
        every = await helper_rows(conn, blocks, moment, sums)
        ranked = sorted(
            (r for r in every if r[3] > 0),
            key=lambda r: (-(2 * r[1] + r[2] + r[3] + r[4] + 3 * r[5]), r[0]),
        )
        with statements(facts) as seen:
            found = await best_helpers(conn, blocks, moment, sums, BestHelpers(1, 2))
    assert found == sorted(ranked[:2])
    daily = [s for s in seen if "contribution_daily" in s]
    assert daily, "the edge days' rows of the best helpers are read"
    assert all("contribution_daily.member_id IN" in s for s in daily), daily


async def test_a_monday_report_looks_up_this_weeks_few_rows_in_last_weeks(
    facts: SqlCommunityFacts,  # noqa: F811
) -> None:
    """On Monday morning `/report` covers Tuesday to Sunday of last week and today: the few
    rows of this week are looked up in last week's, not last week's many in this week's."""
    monday = LAST + timedelta(days=1)
    first = LAST - timedelta(days=5)
    at = end_of(LAST) + timedelta(hours=9)
    seen: list[tuple[str, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "EXISTS" in statement and "contribution_week_people" in statement:
            seen.append((statement, parameters))

    engine = facts.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        found = await facts.activity_summary(first, monday, at)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert found == await summary_from_days(facts.db, first, monday, at)
    assert found.active > 10
    assert len(seen) == 1
    parameters = seen[0][1]
    first_parameter = parameters[0] if isinstance(parameters, (list, tuple)) else parameters
    assert str(first_parameter)[:10] == monday.isoformat(), parameters


def _partial(row: tuple[str, int, int, int, int, int]) -> int:
    """A helper's help sums as the ranking weighs them (hosting three times)."""
    return row[2] + row[3] + row[4] + 3 * row[5]


@pytest.mark.parametrize("last", [LAST, MID_WEEK], ids=["sunday", "wednesday"])
async def test_the_help_bounds_hold_every_helper_who_can_reach_the_floor(
    facts: SqlCommunityFacts,  # noqa: F811
    last: date,
) -> None:
    """The ambassadors' bounds pass reads only the weekly rows above floor / parts: for every
    floor, each helper whose help sums (from the daily rows of the blocks) reach it has a
    bound, and the bound is at least those sums."""
    moment = end_of(last) + timedelta(hours=9)
    blocks = [(last - timedelta(days=7 * i + 6), last - timedelta(days=7 * i)) for i in range(4)]
    days = period_rows(blocks, list(HELP_KINDS), whole_weeks=False)
    assert days is not None
    async with facts.db.connect() as conn:
        sums = {row[0]: _partial(row) for row in await helper_rows(conn, blocks, moment, days)}
        assert len(sums) > 10
        top = max(sums.values())
        for floor in sorted({1, 2, 3, 5, 8, top // 4, top // 2, top} - {0}):
            bounds = await help_bounds(conn, blocks, days, floor)
            reaching = {member: n for member, n in sums.items() if n >= floor}
            assert reaching, floor
            short = {m: (n, bounds.get(m)) for m, n in reaching.items() if bounds.get(m, -1) < n}
            assert not short, (floor, short)


async def _plans(source: SqlCommunityFacts, match: str, work: Any) -> list[str]:
    """SQLite's query plan of each statement `work` runs that contains `match`."""
    seen: list[tuple[str, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if match in statement and not statement.startswith("EXPLAIN"):
            seen.append((statement, parameters))

    engine = source.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        async with source.db.connect() as conn:
            await work(conn)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    plans = []
    async with source.db.connect() as conn:
        for statement, parameters in seen:
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            plans.append(" | ".join(str(row[-1]) for row in rows))
    return plans


@pytest.mark.sqlite_file  # SQLite's query plans (PostgreSQL plans from its own statistics)
async def test_the_bounds_pass_seeks_the_large_rows_and_the_sums_read_by_member(
    facts: SqlCommunityFacts,  # noqa: F811
) -> None:
    """The bounds pass reads a range of `count` per kind and week from the index (kind, week,
    count), not every row of the weeks; the chosen helpers' sums are read by member through
    the primary key, not through that index (SQLite without statistics would take it for a
    `kind IN (...)`)."""
    moment = end_of(LAST) + timedelta(hours=9)
    blocks = [(LAST - timedelta(days=7 * i + 6), LAST - timedelta(days=7 * i)) for i in range(4)]
    sums = period_rows(joined(blocks), list(HELP_KINDS))
    assert sums is not None

    async def bounds(conn: Any) -> None:
        await help_bounds(conn, blocks, sums, 6)

    (plan,) = await _plans(facts, "contribution_weekly", bounds)
    assert plan.count("ix_contribution_weekly_help (kind=? AND week=? AND count>?)") == 2
    assert "SCAN contribution_weekly" not in plan, plan

    async def ranking(conn: Any) -> None:
        await best_helpers(conn, blocks, moment, sums, BestHelpers(1, 3))

    by_member = await _plans(facts, "contribution_weekly.member_id IN", ranking)
    assert by_member
    for plan in by_member:
        assert "ix_contribution_weekly_help" not in plan, plan
