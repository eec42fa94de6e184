"""A goal period's figures, computed only as far as that period's goals need them.

The weekly report shows the figures of its own period in full; a goal on another period (a
month's newcomer activation, say) only needs the figures behind its metric. Who contributed in
30 days (distinct members over five weeks) and every ask of the month are the costliest reads
of a `/report` at 10M contributions (issues 16 and 18), so they are read only when a goal of
that period measures them. The goal's value is the same either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.config.goals import Goal
from bot.features.report.facts import CommunityFacts
from bot.features.report.figures import compute
from bot.features.report.goals import PeriodFigures
from bot.features.report.health_facts import HealthFacts
from bot.features.report.health_figures import HEALTH_METRICS, compute_health
from bot.features.report.weeks import Span

ACTIVITY_METRICS = frozenset(
    {"active_members", "active_share", "creators_share", "prompt_answers", "poll_participation"}
)
"""Figures.metric names that count who contributed (activity_summary)."""


def metrics_of(targets: Sequence[Goal], period: str) -> frozenset[str]:
    return frozenset(goal.metric for goal in targets if goal.period == period)


async def goal_period_figures(
    facts: CommunityFacts,
    health: HealthFacts | None,
    span: Span,
    tz: ZoneInfo,
    metrics: frozenset[str],
    *,
    answer_within: timedelta,
    newcomer_days: int,
) -> PeriodFigures:
    figures = await compute(facts, span, tz, activity=bool(metrics & ACTIVITY_METRICS))
    if health is None or not metrics & HEALTH_METRICS:
        return figures, None
    return figures, await compute_health(
        health, span, tz, answer_within=answer_within, newcomer_days=newcomer_days
    )
