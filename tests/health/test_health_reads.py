"""The health figures read their aggregates by key (issue 18: the report at 10M contributions):
the newcomers' connections are looked up by the weeks that count and the newcomers' ids, never by
the ids alone (which scans every week's rows)."""

from __future__ import annotations

from bot.features.report.health_figures import span_of_week
from storage.db import Database
from storage.report import SqlCommunityFacts
from tests.health.test_figures import MOMENT, TZ, WEEK5, community
from tests.report.test_report_speed import statements


async def test_newcomers_connected_reads_its_weeks_by_key(database: Database) -> None:
    await community(database)
    facts = SqlCommunityFacts(database)
    span = span_of_week(WEEK5, TZ, MOMENT)
    with statements(facts) as seen:
        found = await facts.newcomers_connected(span.start, span.end, TZ)
    assert found == (1, 1)  # erik, within his weeks (tests/health/test_figures.py)
    reads = [s for s in seen if "FROM health_connected" in s]
    assert reads and all("health_connected.week IN" in s for s in reads), reads
