"""What the spotlight, story and role services need from storage (implemented in storage/)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.features.api import ArchivedStory
from bot.features.report.facts import CommunityFacts


@dataclass(frozen=True)
class SpotlightRun:
    week: date
    """Monday (local) of the week this spotlight belongs to: the exactly-once key."""
    member_id: str | None
    status: str
    """'chosen' (interview under way), 'posted', 'skipped'."""
    interview: str
    """'none', 'asked', 'answered', 'declined'."""
    chosen_at: datetime
    posted_at: datetime | None
    message_ref: str | None = None


@dataclass(frozen=True)
class Nomination:
    id: int
    member_id: str
    nominated_by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class RoleClaim:
    member_id: str
    role: str
    status: str
    """'requested' or 'approved'."""
    requested_at: datetime


class SpotlightStore(Protocol):
    facts: CommunityFacts

    # runs (one per week; the primary key guards exactly-once)
    async def claim_week(
        self, week: date, member_id: str | None, status: str, at: datetime, interview: str
    ) -> bool: ...

    async def run_for(self, week: date) -> SpotlightRun | None: ...

    async def mark_posted(self, week: date, at: datetime, ref: str | None) -> bool:
        """'chosen' -> 'posted'; False when another process already did."""

    async def set_interview(self, week: date, status: str) -> None: ...

    async def set_message_ref(self, week: date, ref: str | None) -> None: ...

    async def decline(self, week: date, member_id: str) -> bool:
        """The chosen member said 'not this time': the week is open for another pick."""

    async def replace_declined(self, week: date, member_id: str | None, at: datetime) -> bool:
        """'declined' -> 'posted' (or 'skipped' when member_id is None); False if already done."""

    async def last_spotlights(self, since: date) -> dict[str, date]:
        """member id -> the latest week they were spotlighted, for weeks >= since."""

    async def recent_runs(self, limit: int) -> list[SpotlightRun]: ...

    async def save_answers(self, week: date, answers: list[str]) -> None: ...

    async def answers(self, week: date) -> list[str]: ...

    # preferences and nominations
    async def set_preference(self, member_id: str, choice: str, at: datetime) -> None: ...

    async def preferences(self) -> dict[str, str]: ...

    async def add_nomination(
        self, member_id: str, nominated_by: str, reason: str, at: datetime
    ) -> int: ...

    async def open_nominations(self) -> list[Nomination]: ...

    async def use_nominations(self, member_id: str, week: date) -> None: ...

    # claims for other weekly posts (mission reminders)
    async def claim(self, kind: str, key: str, at: datetime) -> bool: ...

    async def has_claim(self, kind: str, key: str) -> bool: ...

    # personal data
    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...


class StoryStore(Protocol):
    async def add_story(
        self,
        *,
        title: str,
        text: str,
        added_by: str | None,
        at: datetime,
        source_ref: str | None = None,
        source_channel: str | None = None,
        status: str = "ready",
    ) -> int: ...

    async def complete_story(self, story_id: int, title: str, text: str) -> bool: ...

    async def story(self, story_id: int) -> ArchivedStory | None: ...

    async def story_by_source(self, source_ref: str) -> int | None: ...

    async def list_stories(self, limit: int) -> list[ArchivedStory]: ...

    async def count_stories(self) -> int: ...

    async def least_recently_shown(self, limit: int) -> list[ArchivedStory]: ...

    async def mark_shown(self, story_id: int, at: datetime) -> None: ...

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...


@dataclass(frozen=True)
class ActiveMember:
    member_id: str
    first_joined_at: datetime
    kinds: Mapping[str, int]
    """Counts per contribution kind on the lookback days (only the kinds asked for)."""


class CandidateSource(Protocol):
    """Who can be drawn: read in one aggregate, not member by member (100k members)."""

    async def active_members(
        self, first: date, last: date, at: datetime, kinds: Sequence[str], own: Sequence[str]
    ) -> list[ActiveMember]:
        """Present human members who did an `own` kind on the local days [first, last]."""

    async def present(self, member_ids: Sequence[str], at: datetime) -> dict[str, datetime]:
        """Of `member_ids`, the present human members: id -> first joined."""


class RoleStore(Protocol):
    async def request_role(self, member_id: str, role: str, at: datetime) -> str:
        """Returns the claim's status after the call ('requested' or already 'approved')."""

    async def approve_role(self, member_id: str, role: str, by: str, at: datetime) -> bool:
        """True when this call approved it (False: already approved)."""

    async def remove_role(self, member_id: str, role: str) -> bool: ...

    async def roles_of(self, member_id: str) -> list[RoleClaim]: ...

    async def pending_roles(self) -> list[RoleClaim]: ...

    async def approved_roles(self) -> dict[str, list[str]]: ...

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...


@dataclass(frozen=True)
class SpotlightStorage:
    """What `storage.spotlight.make_store` hands the feature."""

    spotlight: SpotlightStore
    stories: StoryStore
    roles: RoleStore
    facts: CommunityFacts
    candidates: CandidateSource
