"""What the dashboard reads beyond the report's figures, and its one-time login links.

Storage implements DashboardStore over the other features' tables (looked up by name, so an
absent feature shows as empty). Rows carry ids, names, counts and times; the only member text is
what members chose to publish (story archive, poll questions), and the templates escape it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from bot.features.report.facts import CommunityFacts


@dataclass(frozen=True)
class LadderRow:
    member_id: str
    name: str
    level: int
    points: int
    """Points in the window (the daily aggregates), never message text."""
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StoryRow:
    title: str
    text: str
    created_at: datetime
    status: str


@dataclass(frozen=True)
class PollRow:
    id: int
    kind: str
    question: str
    anonymous: bool
    created_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    ballots: int
    options: list[tuple[str, int]]
    """(label, votes); empty for an anonymous poll, which shows only its total."""
    parent_id: int | None = None


@dataclass(frozen=True)
class RoundsRow:
    """Both rounds of a stelling (positions 1 = strongly agree .. 5 = strongly disagree)."""

    first_round: int
    before: dict[int, int]
    """position -> votes in the first round"""
    voters_before: int
    after: dict[int, int]
    voters_after: int
    moves: dict[tuple[int, int], int] | None
    """(first position, second position) -> members who answered both rounds; None when a
    round is anonymous (its voters cannot be linked, by design)."""


@dataclass(frozen=True)
class OccurrenceRow:
    scheduled_at: datetime
    slot_key: str
    theme: str | None
    prompt_type: str | None
    status: str
    posted_at: datetime | None
    replies: int


@dataclass(frozen=True)
class SpotlightRow:
    week: date
    member_id: str | None
    name: str | None
    status: str


@dataclass(frozen=True)
class RoleRow:
    member_id: str
    name: str
    role: str
    status: str
    requested_at: datetime


@dataclass(frozen=True)
class StoredSnapshot:
    """A page's figures as kept in the database (JSON), with what they were computed under."""

    page: str
    config_key: str
    privacy_mark: str
    computed_at: datetime
    data: str


class SnapshotStore(Protocol):
    async def privacy_mark(self) -> str:
        """Changes whenever a member opts out of the spotlight (or back in) or is forgotten."""

    async def load(self, page: str) -> StoredSnapshot | None: ...

    async def save(self, snapshot: StoredSnapshot) -> None:
        """Replace the page's snapshot unless a newer one is there."""

    async def clear(self) -> None: ...

    async def export_member(self, member_id: str) -> dict[str, object]: ...

    async def erase_member(self, member_id: str) -> None:
        """Snapshots may name the member: all of them go."""


class DashboardStore(Protocol):
    facts: CommunityFacts
    snapshots: SnapshotStore

    async def add_link(self, token_hash: str, created_at: datetime, expires_at: datetime) -> None:
        """Store a one-time login link (only its hash)."""

    async def redeem_link(self, token_hash: str, at: datetime) -> bool:
        """True exactly once for an unexpired link, even with two processes racing."""

    async def prune_links(self, before: datetime) -> int:
        """Forget links that expired before `before` (used or not); how many."""

    async def ladder(
        self, first: date, last: date, present_at: datetime, limit: int
    ) -> list[LadderRow]:
        """The present members with the most points on the local days [first, last], leaving out
        members who opted out of the spotlight."""

    async def hidden_members(self) -> set[str]:
        """Members who opted out of the spotlight: never named on the dashboard."""

    async def stories(self, limit: int) -> list[StoryRow]: ...

    async def polls(self, limit: int) -> list[PollRow]: ...

    async def stelling_rounds(self, pairs: Sequence[tuple[int, int]]) -> dict[int, RoundsRow]:
        """(second round id, first round id) -> by the second round's id: both rounds."""

    async def occurrences(self, since: datetime, until: datetime) -> list[OccurrenceRow]: ...

    async def spotlight_history(self, limit: int) -> list[SpotlightRow]: ...

    async def roles(self) -> list[RoleRow]: ...

    async def present_ids(self, member_ids: list[str], at: datetime) -> set[str]:
        """Which of `member_ids` (or bare platform ids) are in the community at `at`."""
