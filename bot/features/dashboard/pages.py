"""The figures behind each dashboard page, read through one small port (`PageFigures`).

Today they come from the weekly report's figures (bot/features/report/figures.py) and the
dashboard store; when the community-health figures land, `ReportPageFigures` is the one class to
switch - the web side only knows the page models below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.config import PleinConfig
from bot.features.dashboard.ports import (
    DashboardStore,
    LadderRow,
    OccurrenceRow,
    PollRow,
    RoleRow,
    SpotlightRow,
    StoryRow,
)
from bot.features.report.figures import (
    Candidate,
    Figures,
    ambassador_candidates,
    chart_series,
    compute,
)
from bot.features.report.render import GoalResult
from bot.features.report.weeks import local_day, span_ending
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

    @property
    def levels(self) -> list[tuple[str, int]]:
        """(rung name, members on it) for every rung, the empty ones too."""
        return [(name, self.figures.levels.get(i, 0)) for i, name in enumerate(self.rung_names)]

    def week_labels(self, t: Translator) -> list[str]:
        return week_labels(self.trend, t)


@dataclass(frozen=True)
class Health:
    figures: Figures
    month: Figures
    trend: list[Figures]
    rung_names: list[str]

    def week_labels(self, t: Translator) -> list[str]:
        return week_labels(self.trend, t)

    def kind_rows(self, figures: Figures, t: Translator) -> list[tuple[str, int]]:
        return [
            (t(f"dashboard.kind.{kind}") if t.has(f"dashboard.kind.{kind}") else kind, count)
            for kind, count in figures.top_kinds
        ]


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
        self, kit: Kit, store: DashboardStore, next_spotlight: NextPick | None = None
    ) -> None:
        self.kit = kit
        self.store = store
        self.facts = store.facts
        self.next_spotlight = next_spotlight

    @property
    def config(self) -> PleinConfig:
        return self.kit.config  # follows a config reload

    @property
    def tz(self) -> ZoneInfo:
        return self.kit.tz

    def rung_names(self) -> list[str]:
        return [rung.name for rung in self.config.recognition.levels]

    async def week(self, now: datetime, days: int = 7, back: int = 0) -> Figures:
        today = local_day(now, self.tz) - timedelta(days=back)
        return await compute(self.facts, span_ending(today, days, self.tz, now), self.tz)

    async def overview(self, now: datetime) -> Overview:
        figures = await self.week(now)
        by_period = {"week": figures}
        goals = []
        for goal in self.config.goals.targets:
            if goal.period not in by_period:
                by_period[goal.period] = await self.week(now, days=30)
            goals.append(GoalResult(goal, by_period[goal.period].metric(goal.metric)))
        trend = await chart_series(self.facts, local_day(now, self.tz), TREND_WEEKS, self.tz, now)
        previous = await self.week(now, back=7)
        return Overview(figures, previous, goals, trend, self.rung_names())

    async def health(self, now: datetime) -> Health:
        trend = await chart_series(self.facts, local_day(now, self.tz), TREND_WEEKS, self.tz, now)
        return Health(await self.week(now), await self.week(now, days=30), trend, self.rung_names())

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
        return PollsPage(
            open=[p for p in rows if p.closed_at is None and p.closes_at > now],
            closed=[p for p in rows if p.closed_at is not None or p.closes_at <= now],
        )

    async def members(self, now: datetime) -> MembersPage:
        today = local_day(now, self.tz)
        span = span_ending(today, 7, self.tz, now)
        hidden = await self.store.hidden_members()
        ladder = await self.store.ladder(span.first_day, span.last_day, now, LADDER_ROWS)
        candidates = await ambassador_candidates(
            self.facts,
            span,
            weeks=self.config.report.ambassador_weeks,
            min_weeks=self.config.report.ambassador_min_weeks,
            limit=self.config.report.ambassador_limit,
            exclude=lambda member_id, name: (
                member_id in hidden or self.kit.is_manager(member_id, name)
            ),
        )
        upcoming = await self.next_spotlight(now) if self.next_spotlight else None
        if upcoming in hidden:
            upcoming = None
        names = await self.facts.names([c.member_id for c in candidates] + [upcoming or ""])
        spotlight = [
            run if run.member_id not in hidden else SpotlightRow(run.week, None, None, run.status)
            for run in await self.store.spotlight_history(LIST_ROWS)
        ]
        return MembersPage(
            members_total=await self.facts.present_count(now),
            ladder=ladder,
            rung_names=self.rung_names(),
            spotlight=spotlight,
            ambassadors=[(c, names.get(c.member_id, c.member_id)) for c in candidates],
            roles=[r for r in await self.store.roles() if r.member_id not in hidden],
            hidden=len(hidden),
            next_spotlight=names.get(upcoming, upcoming) if upcoming else None,
            spotlight_on=self.next_spotlight is not None,
            first_day=span.first_day,
            last_day=span.last_day,
        )

    async def stories(self, now: datetime) -> StoriesPage:
        return StoriesPage(await self.store.stories(LIST_ROWS))
