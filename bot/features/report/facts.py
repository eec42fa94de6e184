"""The port through which spotlight and report read what other features recorded.

Storage implements it over the members, recognition, onboarding, polls and calendar tables; a
feature that is not part of this Plein (or switched off) simply yields no rows. A read that
fails raises ReportDataError: the managers see that the report could not be made, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

OWN_KINDS = frozenset(
    {
        "message",
        "reply",
        "reaction_given",
        "vote",
        "prompt_answer",
        "questions_completed",
        "hosted",
        "attended",
        "event_attended",
    }
)
"""Contribution kinds a member does themselves (received reactions/kudos are not activity)."""

CREATE_KINDS = frozenset({"message", "hosted"})
"""The 1%: starting something (a new post, hosting a calendar item)."""

REACT_KINDS = frozenset(
    {
        "reply",
        "reaction_given",
        "vote",
        "prompt_answer",
        "attended",
        "event_attended",
        "questions_completed",
    }
)
"""The 9%: responding to what others started."""


@dataclass(frozen=True)
class BestHelpers:
    """The ambassadors' question to `helpers`: the `top` members by `base_score` among those
    active in at least `min_weeks` of the weeks with a reaction received, and every member in
    `keep` (kudos or newcomer help may lift them); ordered as the ranking breaks ties. The
    store may return more (all helpers), never fewer."""

    min_weeks: int
    top: int
    keep: frozenset[str] = frozenset()


def base_score(row: HelperRow) -> int:
    """The ambassador score without kudos and newcomer help (bot/features/report/figures.py)."""
    return (
        2 * row.active_weeks
        + row.replies
        + row.reactions_received
        + row.prompt_answers
        + 3 * row.hosted
    )


class ReportDataError(RuntimeError):
    """The report could not read what it needs; `what` names the figures or table."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"{what}: {reason}")
        self.what = what


@dataclass(frozen=True)
class MemberRow:
    id: str
    name: str
    first_joined_at: datetime
    joined_at: datetime


@dataclass(frozen=True)
class KudosRow:
    giver_id: str
    receiver_id: str
    reason: str | None
    at: datetime


@dataclass(frozen=True)
class OnboardingRow:
    member_id: str
    rules_accepted: bool
    questions_done: bool
    intro_posted: bool = False
    """The member said yes to a public introduction with their public welcome answers."""


@dataclass(frozen=True)
class PollFacts:
    opened: int = 0
    ballots: int = 0
    """Ballots cast (one per member per poll): actions, not people."""
    voters: int = 0
    """Distinct members who voted in any poll or stelling (from ActivitySummary.voters)."""


@dataclass(frozen=True)
class CalendarFacts:
    posted: int = 0
    answered: int = 0
    """Posted occurrences in the window that got at least one reply."""
    replies: int = 0
    hosts: tuple[str, ...] = ()
    """Members who hosted an item in the window (the hosts who showed up)."""


Activity = dict[str, dict[str, int]]
"""member id -> contribution kind -> count."""


@dataclass(frozen=True)
class ActivitySummary:
    """People, not actions: each count is of distinct members present at the period's end."""

    active: int = 0
    """Did something themselves (an OWN_KINDS contribution) on one of the days."""
    creators: int = 0
    """Of those, started something (CREATE_KINDS)."""
    voters: int = 0
    """Voted in at least one poll or stelling (a member voting in five counts once)."""
    kinds: dict[str, int] = field(default_factory=dict)
    """Own contributions per kind (these are actions, for the "most common" line)."""


@dataclass(frozen=True)
class HelperRow:
    """A present member who helped (replied, answered a prompt or hosted) in the weeks asked."""

    member_id: str
    active_weeks: int
    replies: int
    reactions_received: int
    prompt_answers: int
    hosted: int


class CommunityFacts(Protocol):
    async def present_members(self, at: datetime) -> list[MemberRow]:
        """Humans in the community at `at` (joined before, not left by then)."""

    async def present_count(self, at: datetime) -> int:
        """How many humans are in the community at `at` (the report's "Members")."""

    async def present_counts(self, ats: list[datetime]) -> list[int]:
        """present_count at each of `ats`, read at once."""

    async def present_levels(self, at: datetime) -> dict[int, int]:
        """Ladder rung (0-based) -> how many humans present at `at` stand on it."""

    async def newcomers(self, since: datetime, until: datetime) -> list[MemberRow]:
        """Humans whose first join falls in [since, until); members a sync found already
        present before Plein are never newcomers."""

    async def activity(self, since: datetime, until: datetime) -> Activity:
        """Contribution counts per member and kind in [since, until)."""

    async def activity_summary(
        self, first: date, last: date, present_at: datetime
    ) -> ActivitySummary:
        """Distinct active members, creators and voters on the local days [first, last], counting
        only members present at `present_at`; read from the daily aggregates."""

    async def weekly_people(
        self, weeks: list[tuple[date, date, datetime]]
    ) -> list[tuple[int, int]]:
        """(active, creators) of activity_summary for each (first, last, present_at), at once."""

    async def helpers(
        self,
        weeks: list[tuple[date, date]],
        present_at: datetime,
        best: BestHelpers | None = None,
    ) -> list[HelperRow]:
        """Members present at `present_at` who helped on the days of `weeks` (each an inclusive
        local-day range), with the number of those weeks they were active in. With `best`: only
        what the ambassador ranking can use (see BestHelpers), the rest may be left out."""

    async def first_active_day(self, member_ids: list[str]) -> dict[str, date]:
        """The local day of each member's first own contribution (newcomer activation)."""

    async def kudos(
        self, since: datetime, until: datetime, receiver_id: str | None = None
    ) -> list[KudosRow]: ...

    async def welcome_answers(self, member_id: str) -> list[tuple[str, str]]:
        """(question id, answer) of the member's welcome questions; the caller filters public."""

    async def onboarding(self, member_ids: list[str]) -> dict[str, OnboardingRow]: ...

    async def levels(self) -> dict[str, int]:
        """Current ladder rung (0-based index) per member."""

    async def promotions(self, since: datetime, until: datetime) -> int:
        """Members whose rung went up in [since, until) (as far as the store can tell)."""

    async def polls(self, since: datetime, until: datetime) -> PollFacts: ...

    async def calendar(self, since: datetime, until: datetime) -> CalendarFacts: ...

    async def names(self, member_ids: list[str]) -> dict[str, str]: ...


class ReportStore(Protocol):
    facts: CommunityFacts

    async def claim(self, period_key: str, at: datetime) -> bool:
        """True once per period key: the weekly report is posted exactly once."""
