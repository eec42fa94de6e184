"""The cohorts' retention counted in SQL (storage/health_figures.py: one GROUP BY over the
newcomers' week-people rows, the join week found from its local boundaries) equals the count
from the daily rows member by member - with joins just after a local Monday midnight (Sunday
evening in UTC), summer time, a member here before Plein, leavers and a bot. On SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from bot.features.report.health_figures import RETENTION_WEEKS
from storage.db import Database
from storage.members import members
from storage.report import SqlCommunityFacts
from tests.report.seed import record_contributions, seed
from tests.report.test_weekly_aggregates import FIRST, LAST, TZ, community, member


@pytest.fixture
async def facts(storage_url: str) -> AsyncIterator[SqlCommunityFacts]:
    db = Database.from_url(storage_url)
    await db.migrate()
    people, rows = community()
    midnight = datetime.combine(FIRST + timedelta(weeks=3), datetime.min.time(), tzinfo=TZ)
    summer = datetime.combine(LAST - timedelta(days=6), datetime.min.time(), tzinfo=TZ)
    edges = {
        "mon0": midnight + timedelta(minutes=20),  # Sunday 23:20 in UTC: the local Monday's
        "sun0": midnight - timedelta(minutes=20),  # the week before
        "sum0": summer + timedelta(minutes=5),
        "old0": midnight + timedelta(hours=2),  # here before Plein: no newcomer
    }
    people += [member(name, at) for name, at in edges.items()]
    for name, at in edges.items():
        rows += [
            (f"console:{name}", "message", at + timedelta(weeks=k, hours=1)) for k in (0, 1, 4, 5)
        ]
    await seed(db, "members", people)
    async with db.begin() as conn:
        await conn.execute(
            update(members).where(members.c.id == "console:old0").values(before_plein=True)
        )
    await record_contributions(db, rows, TZ)
    try:
        yield SqlCommunityFacts(db)
    finally:
        await db.close()


@pytest.mark.parametrize("weeks", [(0, 10), (2, 7), (9, 10), (4, 4)])
async def test_cohorts_in_sql_equal_the_count_from_the_daily_rows(
    facts: SqlCommunityFacts, weeks: tuple[int, int]
) -> None:
    first_week, last_week = (FIRST + timedelta(weeks=n) for n in weeks)
    found = await facts.cohorts(first_week, last_week, RETENTION_WEEKS, TZ)
    expected = await facts._cohorts_from_days(first_week, last_week, RETENTION_WEEKS, TZ)
    assert found == expected
    if weeks == (0, 10):
        assert len(found) >= 8 and any(row.active_after.get(4) for row in found)
        weeks_found = {row.week for row in found}
        # mon0 joined in the local week that begins at that midnight, sun0 in the one before
        assert {FIRST + timedelta(weeks=2), FIRST + timedelta(weeks=3)} <= weeks_found
