"""A goal period's figures are computed only as far as its goals need them (issues 16 and 18:
a month goal on newcomer activation made every /report count who contributed in 30 days and
read every ask of the month); each goal's value is the one the full figures give."""

from __future__ import annotations

from datetime import timedelta
from typing import get_args

from bot.config.goals import Metric
from bot.features.report.figures import compute
from bot.features.report.goal_figures import goal_period_figures
from bot.features.report.goals import goal_value
from bot.features.report.health_figures import compute_health
from bot.features.report.weeks import span_ending
from storage.report import SqlCommunityFacts
from tests.report.test_figures import LAST_DAY, MOMENT, TZ, facts  # noqa: F401
from tests.report.test_report_speed import statements

WITHIN = timedelta(hours=4)


async def test_each_goal_has_the_value_of_the_full_figures(
    facts: SqlCommunityFacts,  # noqa: F811
) -> None:
    for last_day in (LAST_DAY, LAST_DAY - timedelta(days=3)):  # a Sunday and a Thursday
        span = span_ending(last_day, 30, TZ, MOMENT)
        full = await compute(facts, span, TZ)
        health = await compute_health(facts, span, TZ, answer_within=WITHIN, newcomer_days=30)
        assert full.active_members and full.new_members, "the month has activity and newcomers"
        for metric in get_args(Metric):
            figures, found_health = await goal_period_figures(
                facts, facts, span, TZ, frozenset({metric}), answer_within=WITHIN, newcomer_days=30
            )
            found = goal_value(metric, figures, found_health)
            assert found == goal_value(metric, full, health), (last_day, metric)


async def test_a_newcomer_goal_reads_no_contributors_and_no_asks(
    facts: SqlCommunityFacts,  # noqa: F811
) -> None:
    span = span_ending(LAST_DAY - timedelta(days=3), 30, TZ, MOMENT)
    with statements(facts) as seen:
        figures, health = await goal_period_figures(
            facts,
            facts,
            span,
            TZ,
            frozenset({"newcomer_activation"}),
            answer_within=WITHIN,
            newcomer_days=30,
        )
    assert figures.newcomer_activation is not None and health is None
    assert seen and not [s for s in seen if "week_people" in s or "health_asks" in s]
