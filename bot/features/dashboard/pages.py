"""The figures behind each dashboard page, read through one small port (`PageFigures`).

They come from the weekly report's figures (bot/features/report/figures.py), its community-health
figures (health_figures.py; goals evaluated by goals.py exactly as the report does) and the
dashboard store; the web side only knows the page models below (the Health page's live in
health_page.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.config import PleinConfig
from bot.features.dashboard.health_page import Health, svg_charts
from bot.features.dashboard.ports import (
    DashboardStore,
    LadderRow,
    OccurrenceRow,
    PollRow,
    RoleRow,
    SpotlightRow,
    StoryRow,
)
from bot.features.dashboard.shift import OpinionShift, opinion_shift
from bot.features.report.figures import (
    PERIODS,
    Candidate,
    Figures,
    ambassador_candidates,
    chart_series,
    compute,
)
from bot.features.report.goals import (
    PeriodFigures,
    active_goal_line,
    evaluate_goals,
    health_facts_of,
)
from bot.features.report.health_facts import HealthFacts
from bot.features.report.health_figures import ChartData, HealthFigures, chart_data, compute_health
from bot.features.report.render import GoalResult
from bot.features.report.weeks import Span, local_day, span_ending
from bot.i18n import Translator
from bot.kit import Kit

NextPick = Callable[[datetime], Awaitable[str | None]]
"""The member id the spotlight would pick next (without claiming anything), or None."""

TREND_WEEKS = 12
LADDER_ROWS = 50
LIST_ROWS = 50


@dataclass(frozen=True)
class Overview:
    figures: Figures
    """This week so far (the 7 local days ending today)."""
    previous: Figures
    goals: list[GoalResult]
    trend: list[Figures]
    """The last TREND_WEEKS weeks, oldest first: members, active members and the split."""
    rung_names: list[str]
    health: HealthFigures | None = None
    """This week's health figures; None when the health feature is not part of this Plein."""

    @property
    def median_response(self) -> timedelta | None:
        """Median time to the first reply, over this week's answered asks."""
        minutes = self.health.all_asks.median_minutes if self.health is not None else None
        return None if minutes is None else timedelta(minutes=minutes)

    @property
    def levels(self) -> list[tuple[str, int]]:
        """(rung name, members on it) for every rung, the empty ones too."""
        return [(name, self.figures.levels.get(i, 0)) for i, name in enumerate(self.rung_names)]

    def week_labels(self, t: Translator) -> list[str]:
        return week_labels(self.trend, t)


def week_labels(series: list[Figures], t: Translator) -> list[str]:
    return [t.date(f.first_day, weekday=False) if f.first_day else "" for f in series]


@dataclass(frozen=True)
class CalendarSlot:
    occurrence: OccurrenceRow
    hosts: list[str]
    backup: str | None
    reachable: bool
    """A host or the backup is still in the community."""


@dataclass(frozen=True)
class CalendarPage:
    coming: list[CalendarSlot]
    posted: list[OccurrenceRow]


@dataclass(frozen=True)
class PollsPage:
    open: list[PollRow]
    closed: list[PollRow]
    shifts: dict[int, OpinionShift] = field(default_factory=dict)
    """Second rounds of stellingen: the opinion shift since the first round."""


@dataclass(frozen=True)
class MembersPage:
    members_total: int
    ladder: list[LadderRow]
    rung_names: list[str]
    spotlight: list[SpotlightRow]
    ambassadors: list[tuple[Candidate, str]]
    roles: list[RoleRow]
    hidden: int = 0
    """Members left out because they opted out of the spotlight."""
    next_spotlight: str | None = None
    """The name of who the spotlight would pick next if nothing changes (the fair rule)."""
    spotlight_on: bool = False
    first_day: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class StoriesPage:
    stories: list[StoryRow] = field(default_factory=list)


class PageFigures(Protocol):
    async def overview(self, now: datetime) -> Overview: ...
    async def health(self, now: datetime) -> Health: ...
    async def calendar(self, now: datetime) -> CalendarPage: ...
    async def polls(self, now: datetime) -> PollsPage: ...
    async def members(self, now: datetime) -> MembersPage: ...
    async def stories(self, now: datetime) -> StoriesPage: ...


class ReportPageFigures:
    """PageFigures from the weekly report's figures and the dashboard store."""

    def __init__(
        self,
        kit: Kit,
        store: DashboardStore,
        translators: Callable[[str], Translator],
        next_spotlight: NextPick | None = None,
    ) -> None:
        self.kit = kit
        self.store = store
        self.facts = store.facts
        self.translators = translators
        self.next_spotlight = next_spotlight

    @property
    def config(self) -> PleinConfig:
        return self.kit.config  # follows a config reload

    @property
    def tz(self) -> ZoneInfo:
        return self.kit.tz

    def rung_names(self) -> list[str]:
        return [rung.name for rung in self.config.recognition.levels]

    @property
    def health_facts(self) -> HealthFacts | None:
        return health_facts_of(self.facts, self.config.health.enabled)

    def span(self, now: datetime, days: int = 7, back: int = 0) -> Span:
        today = local_day(now, self.tz) - timedelta(days=back)
        return span_ending(today, days, self.tz, now)

    async def week(self, now: datetime, days: int = 7, back: int = 0) -> Figures:
        return await compute(self.facts, self.span(now, days, back), self.tz)

    async def health_of(self, span: Span) -> HealthFigures | None:
        facts = self.health_facts
        if facts is None:
            return None
        health = self.config.health
        return await compute_health(
            facts,
            span,
            self.tz,
            answer_within=health.answer_within,
            newcomer_days=health.newcomer_days,
        )

    async def period(self, now: datetime, days: int = 7) -> PeriodFigures:
        span = self.span(now, days)
        return await compute(self.facts, span, self.tz), await self.health_of(span)

    async def goals(self, now: datetime, week: PeriodFigures) -> list[GoalResult]:
        async def read(period: str) -> PeriodFigures:
            return await self.period(now, PERIODS[period])

        return await evaluate_goals(self.config.goals.targets, {"week": week}, read)

    async def overview(self, now: datetime) -> Overview:
        today = local_day(now, self.tz)  # calendar weeks, the last one so far (as the chart)
        sunday = today + timedelta(days=6 - today.weekday())

        async def week_and_goals() -> tuple[PeriodFigures, list[GoalResult]]:
            week = await self.period(now)
            return week, await self.goals(now, week)

        # independent reads, each on its own connection: the database works on them at once
        # (a task group, not gather: when one fails or the computation is cancelled at a stop,
        # the others are cancelled and waited for, never left reading a closing database)
        async with asyncio.TaskGroup() as reads:
            this_week = reads.create_task(week_and_goals())
            trend = reads.create_task(chart_series(self.facts, sunday, TREND_WEEKS, self.tz, now))
            previous = reads.create_task(self.week(now, back=7))
        (figures, health), goals = this_week.result()
        return Overview(
            figures, previous.result(), goals, trend.result(), self.rung_names(), health
        )

    async def health(self, now: datetime) -> Health:
        today = local_day(now, self.tz)  # calendar weeks, the last one so far (as the chart)
        sunday = today + timedelta(days=6 - today.weekday())
        trend = await chart_series(self.facts, sunday, TREND_WEEKS, self.tz, now)
        figures, health = await self.period(now)
        month, month_health = await self.period(now, PERIODS["month"])
        hidden = await self.store.hidden_members()
        helpers = [h for h in health.helpers if h.member_id not in hidden] if health else []
        charts: dict[str, str] = {}
        if health is not None:
            data = await self.chart_data(now)
            charts = await svg_charts(data, self.rung_names(), self.translators)
        return Health(
            figures,
            month,
            trend,
            self.rung_names(),
            health=health,
            month_health=month_health,
            answer_within=self.config.health.answer_within,
            helpers=helpers,
            names=await self.facts.names([h.member_id for h in helpers]) if helpers else {},
            charts=charts,
        )

    async def chart_data(self, now: datetime) -> ChartData:
        """The report's chart figures up to today, with the report's goal line."""
        goal_active, goal_share = active_goal_line(self.config.goals.targets)
        return await chart_data(
            self.facts,
            self.health_facts,
            local_day(now, self.tz),
            self.tz,
            now,
            max_weeks=TREND_WEEKS,
            goal_active=goal_active,
            goal_share=goal_share,
            heatmap_weeks=self.config.health.heatmap_weeks,
        )

    async def calendar(self, now: datetime) -> CalendarPage:
        themes = {theme.name: theme for theme in self.config.calendar.themes}
        coming = await self.store.occurrences(now, now + timedelta(days=28))
        people = {h for t in themes.values() for h in [*t.hosts, *([t.backup] if t.backup else [])]}
        present = await self.store.present_ids(sorted(people), now)
        slots = []
        for occurrence in coming:
            theme = themes.get(occurrence.theme or "")
            hosts = list(theme.hosts) if theme else []
            backup = theme.backup if theme else None
            reachable = any(h in present for h in [*hosts, *([backup] if backup else [])])
            slots.append(CalendarSlot(occurrence, hosts, backup, reachable))
        posted = await self.store.occurrences(now - timedelta(days=28), now)
        return CalendarPage(slots, [o for o in reversed(posted) if o.posted_at is not None])

    async def polls(self, now: datetime) -> PollsPage:
        rows = await self.store.polls(LIST_ROWS)
        second_rounds = [(p.id, p.parent_id) for p in rows if p.kind == "stelling" and p.parent_id]
        rounds = await self.store.stelling_rounds(second_rounds) if second_rounds else {}
        return PollsPage(
            open=[p for p in rows if p.closed_at is None and p.closes_at > now],
            closed=[p for p in rows if p.closed_at is not None or p.closes_at <= now],
            shifts={poll_id: opinion_shift(both) for poll_id, both in rounds.items()},
        )

    async def members(self, now: datetime) -> MembersPage:
        today = local_day(now, self.tz)
        span = span_ending(today, 7, self.tz, now)
        hidden = await self.store.hidden_members()

        async def next_pick() -> str | None:
            return await self.next_spotlight(now) if self.next_spotlight else None

        # independent reads at once, in a task group (see `overview`)
        async with asyncio.TaskGroup() as reads:
            ladder = reads.create_task(
                self.store.ladder(span.first_day, span.last_day, now, LADDER_ROWS)
            )
            ambassadors = reads.create_task(
                ambassador_candidates(
                    self.facts,
                    span,
                    weeks=self.config.report.ambassador_weeks,
                    min_weeks=self.config.report.ambassador_min_weeks,
                    limit=self.config.report.ambassador_limit,
                    exclude=lambda member_id, name: (
                        member_id in hidden or self.kit.is_manager(member_id)
                    ),
                )
            )
            next_up = reads.create_task(next_pick())
            history = reads.create_task(self.store.spotlight_history(LIST_ROWS))
            roles = reads.create_task(self.store.roles())
            total = reads.create_task(self.facts.present_count(now))
        candidates = ambassadors.result()
        upcoming = next_up.result()
        if upcoming in hidden:
            upcoming = None
        names = await self.facts.names([c.member_id for c in candidates] + [upcoming or ""])
        spotlight = [
            run if run.member_id not in hidden else SpotlightRow(run.week, None, None, run.status)
            for run in history.result()
        ]
        return MembersPage(
            members_total=total.result(),
            ladder=ladder.result(),
            rung_names=self.rung_names(),
            spotlight=spotlight,
            ambassadors=[(c, names.get(c.member_id, c.member_id)) for c in candidates],
            roles=[r for r in roles.result() if r.member_id not in hidden],
            hidden=len(hidden),
            next_spotlight=names.get(upcoming, upcoming) if upcoming else None,
            spotlight_on=self.next_spotlight is not None,
            first_day=span.first_day,
            last_day=span.last_day,
        )

    async def stories(self, now: datetime) -> StoriesPage:
        return StoriesPage(await self.store.stories(LIST_ROWS))
