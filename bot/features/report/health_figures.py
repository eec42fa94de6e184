"""Community health figures for one report period, and the weekly series the charts draw.

Pure computation over HealthFacts and CommunityFacts (no text, no platform, no rendering): the
report, `plein report` and the web dashboard all call `compute_health` and `chart_data`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.report.facts import CommunityFacts
from bot.features.report.figures import pct, week_spans
from bot.features.report.health_facts import CohortRow, HealthFacts, HelperCount
from bot.features.report.weeks import Span, day_start

RETENTION_WEEKS = (1, 4, 12)
HEALTH_METRICS = frozenset(
    {"median_first_response", "answered_share", "newcomer_connected_share", "retention_week4"}
)
LOWER_IS_BETTER = frozenset({"median_first_response"})
MONTH = timedelta(days=28)
"""Ladder movement compares the weekly snapshots four weeks apart."""


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Responses:
    """Asks of the period that are due (older than `answer_within` at its end)."""

    due: int = 0
    answered: int = 0
    answered_within: int = 0
    median_minutes: float | None = None
    """Median minutes to the first reply, over the answered ones."""
    open_not_due: int = 0
    """Asked too recently to judge."""

    @property
    def waiting(self) -> int:
        return self.due - self.answered

    @property
    def answered_share(self) -> float | None:
        return pct(self.answered_within, self.due)


def responses_of(
    asks: list[tuple[datetime, datetime | None]], end: datetime, within: timedelta
) -> Responses:
    """(asked_at, answered_at) pairs -> the period's response figures at `end`."""
    due = [(asked, answered) for asked, answered in asks if asked + within <= end]
    times = [
        (answered - asked).total_seconds() / 60
        for asked, answered in due
        if answered is not None and answered <= end
    ]
    return Responses(
        due=len(due),
        answered=len(times),
        answered_within=sum(1 for minutes in times if minutes <= within.total_seconds() / 60),
        median_minutes=round(statistics.median(times), 1) if times else None,
        open_not_due=len(asks) - len(due),
    )


@dataclass(frozen=True)
class HealthFigures:
    questions: Responses = field(default_factory=Responses)
    newcomer_posts: Responses = field(default_factory=Responses)
    prompts: Responses = field(default_factory=Responses)
    """The calendar's question prompts."""
    all_asks: Responses = field(default_factory=Responses)
    two_way_members: int = 0
    newcomers: int = 0
    newcomers_connected: int = 0
    helpers: list[HelperCount] = field(default_factory=list)
    cohorts: list[CohortRow] = field(default_factory=list)
    retention_week4: float | None = None
    promotions: int = 0
    demotions: int = 0

    @property
    def newcomer_connected_share(self) -> float | None:
        return pct(self.newcomers_connected, self.newcomers)

    def metric(self, name: str) -> float | None:
        values: dict[str, float | None] = {
            "median_first_response": self.all_asks.median_minutes,
            "answered_share": self.all_asks.answered_share,
            "newcomer_connected_share": self.newcomer_connected_share,
            "retention_week4": self.retention_week4,
        }
        return values[name]


def retention(cohorts: list[CohortRow], week: date, after: int) -> float | None:
    """Of the cohort that joined `after` weeks before `week`: the share active in `week`."""
    for row in cohorts:
        if row.week == week - timedelta(weeks=after) and after in row.active_after:
            return pct(row.active_after[after], row.size)
    return None


async def compute_health(
    facts: HealthFacts,
    span: Span,
    tz: ZoneInfo,
    *,
    answer_within: timedelta,
    newcomer_days: int,
    helpers: int = 5,
    cohort_weeks: int = 16,
) -> HealthFigures:
    asks = await facts.asks(span.start, span.end, newcomer_days)

    def of(kind: str | None) -> Responses:
        chosen = [(a.asked_at, a.answered_at) for a in asks if kind is None or a.kind == kind]
        return responses_of(chosen, span.end, answer_within)

    first_week, last_week = monday(span.first_day), monday(span.last_day)
    newcomers, connected = await facts.newcomers_connected(span.start, span.end, tz)
    cohorts = await facts.cohorts(
        last_week - timedelta(weeks=cohort_weeks), last_week, RETENTION_WEEKS, tz
    )
    up, down = await facts.ladder_moves(last_week - MONTH, last_week)
    return HealthFigures(
        questions=of("question"),
        newcomer_posts=of("first_post"),
        prompts=of("prompt"),
        all_asks=of(None),
        two_way_members=await facts.two_way_members(first_week, last_week),
        newcomers=newcomers,
        newcomers_connected=connected,
        helpers=await facts.newcomer_helpers(first_week, last_week, newcomer_days, helpers),
        cohorts=cohorts,
        retention_week4=retention(cohorts, last_week, 4),
        promotions=up,
        demotions=down,
    )


@dataclass(frozen=True)
class ChartData:
    """What the report's charts draw, oldest week first; the same for PNG and SVG."""

    weeks: list[date]
    """The local Monday of each week, only weeks since the community's first data."""
    members: list[int]
    active: list[int]
    goal_active: float | None
    """The active-members goal as a number of members (None without such a goal)."""
    ladder: list[dict[int, int]]
    """Per week: rung (0 = first) -> members present on it."""
    cohorts: list[CohortRow]
    heatmap: list[list[float]]
    """7 weekdays (Monday first) x 24 hours: average active members in that local hour."""
    heatmap_weeks: int


async def chart_data(
    facts: CommunityFacts,
    health: HealthFacts | None,
    last_day: date,
    tz: ZoneInfo,
    moment: datetime,
    *,
    max_weeks: int,
    goal_active: float | None = None,
    goal_share: float | None = None,
    heatmap_weeks: int = 4,
) -> ChartData:
    """The weekly series ending with the week of `last_day` (cut off at `moment`), starting no
    earlier than the week of the first data: no empty weeks before the community existed.

    The weeks are calendar weeks (Monday to Sunday, as the ladder snapshots and cohorts are):
    in the middle of a week the last one is that week so far. Whole weeks are counted from the
    people counts the writer keeps per week (storage/week_people.py), not from member rows."""
    spans = week_spans(monday(last_day) + timedelta(days=6), max_weeks, tz, moment)
    first = await health.first_data_day() if health is not None else None
    if first is not None:
        spans = [s for s in spans if s.last_day >= first] or spans[-1:]
    members = await facts.present_counts([s.end for s in spans])
    people = await facts.weekly_people([(s.first_day, s.last_day, s.end) for s in spans])
    active = [min(a, n) for (a, _), n in zip(people, members, strict=True)]
    weeks = [s.first_day for s in spans]
    ladder: list[dict[int, int]] = []
    cohorts: list[CohortRow] = []
    grid = [[0.0] * 24 for _ in range(7)]
    if health is not None:
        snapshots = await health.ladder_weeks(monday(weeks[0]), monday(weeks[-1]))
        for span, total in zip(spans, members, strict=True):
            higher = snapshots.get(monday(span.first_day), {})
            ladder.append({0: max(total - sum(higher.values()), 0), **dict(sorted(higher.items()))})
        cohorts = await health.cohorts(monday(weeks[0]), monday(weeks[-1]), RETENTION_WEEKS, tz)
        last_week = monday(last_day)
        slots = await health.heatmap(last_week - timedelta(weeks=heatmap_weeks - 1), last_week)
        for slot, count in slots.items():
            grid[slot // 24][slot % 24] = round(count / heatmap_weeks, 2)
    goal = goal_active
    if goal is None and goal_share is not None and members:
        goal = round(members[-1] * goal_share / 100, 1)
    return ChartData(weeks, members, active, goal, ladder, cohorts, grid, heatmap_weeks)


def span_of_week(week: date, tz: ZoneInfo, moment: datetime) -> Span:
    """The whole local week starting Monday `week` (cut off at `moment`)."""
    end = min(day_start(week + timedelta(days=7), tz), moment)
    return Span(week, week + timedelta(days=6), day_start(week, tz), end)
