"""The port through which spotlight and report read what other features recorded.

Storage implements it over the members, recognition, onboarding, polls and calendar tables; a
feature that is switched off (or not installed yet) simply yields no rows, so every figure
degrades to zero instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
    }
)
"""Contribution kinds a member does themselves (received reactions/kudos are not activity)."""

CREATE_KINDS = frozenset({"message", "hosted"})
"""The 1%: starting something (a new post, hosting a calendar item)."""

REACT_KINDS = frozenset(
    {"reply", "reaction_given", "vote", "prompt_answer", "attended", "questions_completed"}
)
"""The 9%: responding to what others started."""


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


@dataclass(frozen=True)
class PollFacts:
    opened: int = 0
    ballots: int = 0
    voters: int = 0


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


class CommunityFacts(Protocol):
    async def present_members(self, at: datetime) -> list[MemberRow]:
        """Humans in the community at `at` (joined before, not left by then)."""

    async def joined_between(self, since: datetime, until: datetime) -> list[MemberRow]:
        """Humans whose first join falls in [since, until)."""

    async def activity(self, since: datetime, until: datetime) -> Activity:
        """Contribution counts per member and kind in [since, until)."""

    async def first_contribution(self, member_ids: list[str]) -> dict[str, datetime]:
        """The earliest own contribution of each member (for newcomer activation)."""

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
