"""Every `[goals]` target against the figures of its period: the weekly report and the web
dashboard both evaluate goals here, so a metric means the same on both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import cast

from bot.config.goals import Goal
from bot.features.report.facts import CommunityFacts
from bot.features.report.figures import Figures
from bot.features.report.health_facts import HealthFacts
from bot.features.report.health_figures import HEALTH_METRICS, HealthFigures
from bot.features.report.render import GoalResult

PeriodFigures = tuple[Figures, HealthFigures | None]
"""A period's report figures and its health figures (None without the health feature)."""


def goal_value(metric: str, figures: Figures, health: HealthFigures | None) -> float | None:
    if metric in HEALTH_METRICS:
        return health.metric(metric) if health is not None else None
    return figures.metric(metric)


async def evaluate_goals(
    targets: Sequence[Goal],
    known: dict[str, PeriodFigures],
    read: Callable[[str], Awaitable[PeriodFigures]],
) -> list[GoalResult]:
    """Each goal against its period's figures: those in `known`, else `read(period)` (once per
    period)."""
    by_period = dict(known)
    results = []
    for goal in targets:
        if goal.period not in by_period:
            by_period[goal.period] = await read(goal.period)
        figures, health = by_period[goal.period]
        results.append(GoalResult(goal, goal_value(goal.metric, figures, health)))
    return results


def health_facts_of(facts: CommunityFacts, enabled: bool) -> HealthFacts | None:
    """The health aggregates, when the health feature is part of this Plein (its tables exist)."""
    if not enabled:
        return None
    health = cast(HealthFacts, facts)
    return health if getattr(health, "available", False) else None


def active_goal_line(targets: Sequence[Goal]) -> tuple[float | None, float | None]:
    """(active members, active share) weekly goals: the goal line the charts draw."""
    goal_active = goal_share = None
    for goal in targets:
        if goal.period == "week" and goal.metric == "active_members":
            goal_active = goal.target
        elif goal.period == "week" and goal.metric == "active_share":
            goal_share = goal.target
    return goal_active, goal_share
