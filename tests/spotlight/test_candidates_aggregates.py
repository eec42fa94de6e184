"""The spotlight's candidates read whole weeks from `contribution_weekly` and the days around
them from `contribution_daily`: per active member exactly the counts the daily rows of the
lookback days give, for lookbacks that start and end on any weekday (both backends)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.features.spotlight.selection import WEIGHED_KINDS
from bot.features.spotlight.service import OWN
from storage.db import Database
from storage.recognition_tables import contribution_daily
from storage.report import SqlCommunityFacts
from storage.spotlight.candidates import SqlSpotlightCandidates
from tests.report.seed import record_contributions, seed
from tests.report.test_weekly_aggregates import TZ, community


@pytest.fixture
async def db(storage_url: str) -> AsyncIterator[Database]:
    database = Database.from_url(storage_url)
    await database.migrate()
    members, rows = community()
    await seed(database, "members", members)
    await record_contributions(database, rows, TZ)
    try:
        yield database
    finally:
        await database.close()


async def from_daily_rows(
    db: Database, first: date, last: date, at: datetime
) -> dict[str, dict[str, int]]:
    """The candidates as the daily rows alone give them (the query before the weekly rows)."""
    d = contribution_daily.c
    wanted = set(WEIGHED_KINDS) | set(OWN)
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    async with db.connect() as conn:
        rows = await conn.execute(select(d.member_id, d.day, d.kind, d.count))
        for member_id, day, kind, count in rows:
            day = day if isinstance(day, date) else date.fromisoformat(str(day))
            if first <= day <= last and kind in wanted:
                sums[member_id][kind] += int(count)
    present = {m.id for m in await SqlCommunityFacts(db).present_members(at)}
    return {
        member_id: {kind: n for kind, n in kinds.items() if n}
        for member_id, kinds in sums.items()
        if member_id in present and any(kinds.get(kind, 0) > 0 for kind in OWN)
    }


async def test_the_candidates_are_the_daily_rows_sums_for_any_lookback(db: Database) -> None:
    candidates = SqlSpotlightCandidates(db)
    seen_weekdays = set()
    for last in (date(2026, 3, 8) + timedelta(days=i) for i in range(0, 7)):
        for days in (28, 10, 7, 3):
            first = last - timedelta(days=days - 1)
            at = datetime.combine(last, datetime.min.time(), tzinfo=UTC) + timedelta(hours=20)
            found = await candidates.active_members(first, last, at, WEIGHED_KINDS, OWN)
            expected = await from_daily_rows(db, first, last, at)
            assert {a.member_id: dict(a.kinds) for a in found} == expected, (first, last)
            assert len(expected) > 5, (first, last)  # the community is active then
            seen_weekdays.add(first.weekday())
    assert seen_weekdays == set(range(7))
