"""The health figures as CSV columns, one row per week, next to the weekly figures.

Every figure the JSON export has under "health" gets a column named by its path there
(`all_asks.median_minutes` -> `all_asks_median_minutes`); the two lists become cells a
spreadsheet can use: `newcomer_helpers` ("member:newcomers" pairs) and, from the cohorts, the
size of the week's own join cohort and the retention of the cohorts 1, 4 and 12 weeks back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.report.figures import week_spans
from bot.features.report.health_facts import HealthFacts
from bot.features.report.health_figures import (
    HealthFigures,
    Responses,
    compute_health,
    monday,
    retention,
)

RESPONSE_FIELDS = (
    "due",
    "answered",
    "answered_within",
    "median_minutes",
    "open_not_due",
    "waiting",
    "answered_share",
)
RESPONSE_GROUPS = ("all_asks", "questions", "newcomer_posts", "prompts")
HEALTH_COLUMNS = (
    *(f"{group}_{name}" for group in RESPONSE_GROUPS for name in RESPONSE_FIELDS),
    "two_way_members",
    "newcomers",
    "newcomers_connected",
    "newcomer_connected_share",
    "newcomer_helpers",
    "cohort_size",
    "retention_week1",
    "retention_week4",
    "retention_week12",
    "promotions",
    "demotions",
)


def _cell(value: float | int | None) -> str:
    return "" if value is None else str(value)


def _responses(r: Responses) -> list[str]:
    return [_cell(getattr(r, name)) for name in RESPONSE_FIELDS]


def health_cells(health: HealthFigures | None, week: date) -> list[str]:
    """The row's health cells (all empty without the health feature)."""
    if health is None:
        return [""] * len(HEALTH_COLUMNS)
    own = next((c for c in health.cohorts if c.week == monday(week)), None)
    return [
        *_responses(health.all_asks),
        *_responses(health.questions),
        *_responses(health.newcomer_posts),
        *_responses(health.prompts),
        _cell(health.two_way_members),
        _cell(health.newcomers),
        _cell(health.newcomers_connected),
        _cell(health.newcomer_connected_share),
        " ".join(f"{h.member_id}:{h.newcomers}" for h in health.helpers),
        _cell(own.size if own else 0),
        _cell(retention(health.cohorts, monday(week), 1)),
        _cell(health.retention_week4),
        _cell(retention(health.cohorts, monday(week), 12)),
        _cell(health.promotions),
        _cell(health.demotions),
    ]


async def weekly_health(
    facts: HealthFacts | None,
    last_day: date,
    weeks: int,
    tz: ZoneInfo,
    moment: datetime,
    *,
    answer_within: timedelta,
    newcomer_days: int,
) -> Sequence[HealthFigures | None]:
    """The health figures of each week `weekly_series` has, oldest first (None without health)."""
    spans = week_spans(last_day, weeks, tz, moment)
    if facts is None:
        return [None] * len(spans)
    return [
        await compute_health(
            facts, span, tz, answer_within=answer_within, newcomer_days=newcomer_days
        )
        for span in spans
    ]
