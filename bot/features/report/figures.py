"""The report's figures for one period, computed from CommunityFacts. No text, no platform."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.report.facts import (
    OWN_KINDS,
    ActivitySummary,
    BestHelpers,
    CalendarFacts,
    CommunityFacts,
    PollFacts,
)
from bot.features.report.health_facts import HealthFacts
from bot.features.report.weeks import Span, local_day, span_ending

ACTIVATION_WINDOW = timedelta(days=7)
PERIODS = {"week": 7, "month": 30}
"""Report periods in whole local days."""


def pct(part: int, whole: int) -> float | None:
    return None if whole <= 0 else round(100.0 * part / whole, 1)


@dataclass(frozen=True)
class Split:
    """The 90-9-1 view: who created, who only reacted, who only read (of all present members)."""

    creators: int = 0
    reactors: int = 0
    consumers: int = 0

    @property
    def total(self) -> int:
        return self.creators + self.reactors + self.consumers

    def shares(self) -> tuple[float, float, float]:
        if self.total == 0:
            return (0.0, 0.0, 0.0)
        return (
            round(100.0 * self.consumers / self.total, 1),
            round(100.0 * self.reactors / self.total, 1),
            round(100.0 * self.creators / self.total, 1),
        )


@dataclass(frozen=True)
class Figures:
    since: datetime
    until: datetime
    first_day: date | None = None
    last_day: date | None = None
    members_total: int = 0
    new_members: int = 0
    welcome_completion: float | None = None
    rules_acceptance: float | None = None
    newcomer_activation: float | None = None
    active_members: int = 0
    split: Split = field(default_factory=Split)
    levels: dict[int, int] = field(default_factory=dict)
    promotions: int = 0
    top_kinds: list[tuple[str, int]] = field(default_factory=list)
    polls: PollFacts = field(default_factory=PollFacts)
    calendar: CalendarFacts = field(default_factory=CalendarFacts)
    prompt_answers: int = 0
    kudos_given: int = 0

    @property
    def active_share(self) -> float | None:
        return pct(self.active_members, self.members_total)

    @property
    def poll_participation(self) -> float | None:
        """Share of members who voted; no data when no poll ran and nobody voted."""
        if not self.polls.opened and not self.polls.voters:
            return None
        return pct(self.polls.voters, self.members_total)

    def metric(self, name: str) -> float | None:
        """A goal's actual value; None = no data for the period (shown as such, never behind)."""
        no_prompts = not self.calendar.posted and not self.prompt_answers
        values: dict[str, float | None] = {
            "new_members": self.new_members,
            "active_members": self.active_members,
            "active_share": self.active_share,
            "welcome_completion": self.welcome_completion,
            "rules_acceptance": self.rules_acceptance,
            "newcomer_activation": self.newcomer_activation,
            "creators_share": self.split.shares()[2] if self.split.total else None,
            "prompt_answers": None if no_prompts else self.prompt_answers,
            "poll_participation": self.poll_participation,
            "kudos_given": self.kudos_given,
        }
        return values[name]


async def compute(
    facts: CommunityFacts, span: Span, tz: ZoneInfo, *, activity: bool = True
) -> Figures:
    """Every count is of people present at the span's end (bots excluded), so no share of
    members can exceed 100%; contribution kinds are the only counts of actions.

    `activity=False` leaves out who contributed (the active members, the split, the kinds,
    the voters: the costly part), for a goal period whose goals do not need them
    (bot/features/report/goal_figures.py)."""
    members_total = await facts.present_count(span.end)
    new = await facts.newcomers(span.start, span.end)
    new_ids = [m.id for m in new]
    welcome = rules = activation = None
    if new:
        onboarding = await facts.onboarding(new_ids)
        if onboarding:
            welcome = pct(sum(1 for r in onboarding.values() if r.questions_done), len(new))
            rules = pct(sum(1 for r in onboarding.values() if r.rules_accepted), len(new))
        firsts = await facts.first_active_day(new_ids)
        activated = sum(
            1
            for m in new
            if m.id in firsts
            and firsts[m.id] - local_day(m.first_joined_at, tz) <= ACTIVATION_WINDOW
        )
        activation = pct(activated, len(new))
    summary = (
        await facts.activity_summary(span.first_day, span.last_day, span.end)
        if activity
        else ActivitySummary()
    )
    active = min(summary.active, members_total)
    creators = min(summary.creators, active)
    split = Split(creators=creators, reactors=active - creators, consumers=members_total - active)
    kinds = {k: n for k, n in summary.kinds.items() if k in OWN_KINDS and n}
    polls = await facts.polls(span.start, span.end)
    return Figures(
        since=span.start,
        until=span.end,
        first_day=span.first_day,
        last_day=span.last_day,
        members_total=members_total,
        new_members=len(new),
        welcome_completion=welcome,
        rules_acceptance=rules,
        newcomer_activation=activation,
        active_members=active,
        split=split,
        levels=dict(sorted((await facts.present_levels(span.end)).items())),
        promotions=await facts.promotions(span.start, span.end),
        top_kinds=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        polls=PollFacts(polls.opened, polls.ballots, min(summary.voters, members_total)),
        calendar=await facts.calendar(span.start, span.end),
        prompt_answers=kinds.get("prompt_answer", 0),
        kudos_given=len(await facts.kudos(span.start, span.end)),
    )


@dataclass(frozen=True)
class Candidate:
    """A possible ambassador, with the evidence a manager can check."""

    member_id: str
    active_weeks: int
    weeks: int
    replies: int
    reactions_received: int
    kudos_received: int
    prompt_answers: int
    hosted: int
    newcomers_helped: int = 0
    """Distinct newcomers this member replied or reacted to in the weeks (health)."""

    @property
    def score(self) -> int:
        return (
            2 * self.active_weeks
            + 2 * self.newcomers_helped
            + self.replies
            + self.reactions_received
            + 2 * self.kudos_received
            + self.prompt_answers
            + 3 * self.hosted
        )


async def ambassador_candidates(
    facts: CommunityFacts,
    span: Span,
    *,
    weeks: int,
    min_weeks: int,
    limit: int,
    exclude: Callable[[str, str], bool] = lambda member_id, name: False,
    health: HealthFacts | None = None,
    newcomer_days: int = 30,
) -> list[Candidate]:
    """Consistent activity over several weeks, replies that got reactions or kudos, helping.

    `span` is the report period; the weeks are the `weeks` 7-day blocks ending with its last
    day. `exclude(member_id, name)` leaves out managers."""
    assert span.last_day is not None
    blocks = [
        (span.last_day - timedelta(days=7 * i + 6), span.last_day - timedelta(days=7 * i))
        for i in range(weeks)
    ]
    since = span.start - timedelta(days=7 * weeks - span.days)
    kudos = Counter(k.receiver_id for k in await facts.kudos(since, span.end))
    helped: dict[str, int] = {}
    if health is not None:
        first_week = blocks[-1][0] - timedelta(days=blocks[-1][0].weekday())
        last_week = span.last_day - timedelta(days=span.last_day.weekday())
        rows = await health.newcomer_helpers(first_week, last_week, newcomer_days, 1000)
        helped = {row.member_id: row.newcomers for row in rows}
    keep = frozenset(kudos) | frozenset(m for m, n in helped.items() if n)
    top = limit * 2 + 8
    while True:
        found = await facts.helpers(blocks, span.end, BestHelpers(min_weeks, top, keep))
        out = [
            Candidate(
                member_id=h.member_id,
                active_weeks=h.active_weeks,
                weeks=weeks,
                replies=h.replies,
                reactions_received=h.reactions_received,
                kudos_received=kudos.get(h.member_id, 0),
                prompt_answers=h.prompt_answers,
                hosted=h.hosted,
                newcomers_helped=helped.get(h.member_id, 0),
            )
            for h in found
            if h.active_weeks >= min_weeks
            and (h.reactions_received or kudos.get(h.member_id) or helped.get(h.member_id))
        ]
        names = await facts.names([c.member_id for c in out])
        out = [c for c in out if not exclude(c.member_id, names.get(c.member_id, ""))]
        others = sum(1 for c in out if c.member_id not in keep)
        # Fewer than `limit` others left after managers and absent members were taken out,
        # while the store may have left some out: ask for more.
        if others >= limit or sum(1 for h in found if h.member_id not in keep) < top:
            break
        top *= 4
    out.sort(key=lambda c: (-c.score, c.member_id))
    return out[:limit]


def week_spans(last_day: date, weeks: int, tz: ZoneInfo, moment: datetime) -> list[Span]:
    """The `weeks` 7-day spans ending with `last_day`, oldest first."""
    return [
        span_ending(last_day - timedelta(days=7 * i), 7, tz, moment)
        for i in range(weeks - 1, -1, -1)
    ]


async def chart_series(
    facts: CommunityFacts, last_day: date, weeks: int, tz: ZoneInfo, moment: datetime
) -> list[Figures]:
    """What the chart draws of each week - members, active members and the split, exactly as
    `compute` counts them - in two reads for all weeks instead of a dozen per week. The other
    fields keep their defaults: the CSV export uses `weekly_series`."""
    spans = week_spans(last_day, weeks, tz, moment)
    totals = await facts.present_counts([span.end for span in spans])
    people = await facts.weekly_people([(s.first_day, s.last_day, s.end) for s in spans])
    series = []
    for span, members_total, (active_seen, creators_seen) in zip(
        spans, totals, people, strict=True
    ):
        active = min(active_seen, members_total)
        creators = min(creators_seen, active)
        split = Split(
            creators=creators, reactors=active - creators, consumers=members_total - active
        )
        series.append(
            Figures(
                since=span.start,
                until=span.end,
                first_day=span.first_day,
                last_day=span.last_day,
                members_total=members_total,
                active_members=active,
                split=split,
            )
        )
    return series


async def weekly_series(
    facts: CommunityFacts, last_day: date, weeks: int, tz: ZoneInfo, moment: datetime
) -> list[Figures]:
    """Figures for each of the `weeks` weeks ending with `last_day`, oldest first."""
    return [await compute(facts, span, tz) for span in week_spans(last_day, weeks, tz, moment)]
