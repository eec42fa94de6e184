"""The chart's series, read for all weeks at once, shows exactly what the week-by-week figures
show (issue 16: the report at 10M contributions)."""

from __future__ import annotations

from datetime import timedelta

from bot.features.report.figures import chart_series, weekly_series
from storage.report import SqlCommunityFacts
from tests.report.test_figures import LAST_DAY, MOMENT, TZ, facts  # noqa: F401


async def test_chart_series_equals_the_figures_of_each_week(
    facts: SqlCommunityFacts,  # noqa: F811
) -> None:
    for last_day, moment in ((LAST_DAY, MOMENT), (LAST_DAY + timedelta(days=1), MOMENT)):
        full = await weekly_series(facts, last_day, 12, TZ, moment)
        fast = await chart_series(facts, last_day, 12, TZ, moment)
        assert [(f.since, f.until, f.members_total, f.active_members, f.split) for f in fast] == [
            (f.since, f.until, f.members_total, f.active_members, f.split) for f in full
        ]
        assert any(f.active_members for f in full) and any(f.split.creators for f in full)
        assert len({f.members_total for f in full}) > 1, "members come and go over the weeks"
