"""The report's figures for one period, computed from CommunityFacts. No text, no platform."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.features.report.facts import (
    CREATE_KINDS,
    OWN_KINDS,
    CalendarFacts,
    CommunityFacts,
    PollFacts,
)

ACTIVATION_WINDOW = timedelta(days=7)
PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30)}


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
        return pct(self.polls.voters, self.members_total)

    def metric(self, name: str) -> float | None:
        values: dict[str, float | None] = {
            "new_members": self.new_members,
            "active_members": self.active_members,
            "active_share": self.active_share,
            "welcome_completion": self.welcome_completion,
            "rules_acceptance": self.rules_acceptance,
            "newcomer_activation": self.newcomer_activation,
            "creators_share": self.split.shares()[2] if self.split.total else None,
            "prompt_answers": self.prompt_answers,
            "poll_participation": self.poll_participation,
            "kudos_given": self.kudos_given,
        }
        return values[name]


async def compute(facts: CommunityFacts, since: datetime, until: datetime) -> Figures:
    present = await facts.present_members(until)
    present_ids = {m.id for m in present}
    new = await facts.joined_between(since, until)
    new_ids = [m.id for m in new]
    onboarding = await facts.onboarding(new_ids)
    welcome = rules = activation = None
    if new:
        if onboarding:
            welcome = pct(sum(1 for r in onboarding.values() if r.questions_done), len(new))
            rules = pct(sum(1 for r in onboarding.values() if r.rules_accepted), len(new))
        firsts = await facts.first_contribution(new_ids)
        activated = sum(
            1
            for m in new
            if m.id in firsts and firsts[m.id] - m.first_joined_at <= ACTIVATION_WINDOW
        )
        activation = pct(activated, len(new))
    activity = {
        member: kinds
        for member, kinds in (await facts.activity(since, until)).items()
        if member in present_ids
    }
    active = {m for m, kinds in activity.items() if any(kinds.get(k) for k in OWN_KINDS)}
    creators = {m for m in active if any(activity[m].get(k) for k in CREATE_KINDS)}
    split = Split(
        creators=len(creators),
        reactors=len(active - creators),
        consumers=len(present_ids - active),
    )
    kinds: Counter[str] = Counter()
    for by_kind in activity.values():
        for kind, count in by_kind.items():
            if kind in OWN_KINDS:
                kinds[kind] += count
    levels_by_member = await facts.levels()
    levels = Counter(levels_by_member.get(m, 0) for m in present_ids)
    return Figures(
        since=since,
        until=until,
        members_total=len(present_ids),
        new_members=len(new),
        welcome_completion=welcome,
        rules_acceptance=rules,
        newcomer_activation=activation,
        active_members=len(active),
        split=split,
        levels=dict(sorted(levels.items())),
        promotions=await facts.promotions(since, until),
        top_kinds=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        polls=await facts.polls(since, until),
        calendar=await facts.calendar(since, until),
        prompt_answers=kinds.get("prompt_answer", 0),
        kudos_given=len(await facts.kudos(since, until)),
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

    @property
    def score(self) -> int:
        return (
            2 * self.active_weeks
            + self.replies
            + self.reactions_received
            + 2 * self.kudos_received
            + self.prompt_answers
            + 3 * self.hosted
        )


async def ambassador_candidates(
    facts: CommunityFacts,
    until: datetime,
    *,
    weeks: int,
    min_weeks: int,
    limit: int,
    exclude: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Consistent activity over several weeks, replies that got reactions or kudos, helping."""
    present = {m.id for m in await facts.present_members(until)} - exclude
    active_weeks: Counter[str] = Counter()
    totals: dict[str, Counter[str]] = {}
    for i in range(weeks):
        end = until - timedelta(weeks=i)
        for member, kinds in (await facts.activity(end - timedelta(weeks=1), end)).items():
            if member not in present:
                continue
            if any(kinds.get(k) for k in OWN_KINDS):
                active_weeks[member] += 1
            totals.setdefault(member, Counter()).update(kinds)
    # Kudos come from the kudos table (with reasons); the contribution kind is the fallback.
    kudos = Counter(k.receiver_id for k in await facts.kudos(until - timedelta(weeks=weeks), until))
    out = []
    for member, count in active_weeks.items():
        kinds = totals[member]
        if kudos:
            kinds["kudos_received"] = kudos.get(member, 0)
        appreciated = kinds.get("reaction_received", 0) + kinds.get("kudos_received", 0)
        helped = kinds.get("reply", 0) + kinds.get("prompt_answer", 0) + kinds.get("hosted", 0)
        if count < min_weeks or not appreciated or not helped:
            continue
        out.append(
            Candidate(
                member_id=member,
                active_weeks=count,
                weeks=weeks,
                replies=kinds.get("reply", 0),
                reactions_received=kinds.get("reaction_received", 0),
                kudos_received=kinds.get("kudos_received", 0),
                prompt_answers=kinds.get("prompt_answer", 0),
                hosted=kinds.get("hosted", 0),
            )
        )
    out.sort(key=lambda c: (-c.score, c.member_id))
    return out[:limit]


async def weekly_series(facts: CommunityFacts, until: datetime, weeks: int) -> list[Figures]:
    """Figures for each of the last `weeks` weeks ending at `until`, oldest first."""
    series = []
    for i in range(weeks - 1, -1, -1):
        end = until - timedelta(weeks=i)
        series.append(await compute(facts, end - timedelta(weeks=1), end))
    return series
