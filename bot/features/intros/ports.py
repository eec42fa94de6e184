"""What introductions need from storage: opt-ins, rounds claimed once, groups and their answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from bot.features.intros.pairing import Group


@dataclass(frozen=True)
class Optin:
    member_id: str
    opted_in: bool
    skip_next: bool
    groups: int
    """Groups this member has been in."""


@dataclass(frozen=True)
class OptedIn:
    """An opted-in member who is present in the community."""

    member_id: str
    first_joined_at: datetime
    opted_at: datetime
    trios: int
    skip_next: bool


@dataclass(frozen=True)
class Pool:
    """An opted-in member as the pairing sees them (with the welcome answers and ladder rung)."""

    member_id: str
    first_joined_at: datetime
    answers: Mapping[str, str | None]
    rung: int
    trios: int
    skip_next: bool


class _Seen(Protocol):
    @property
    def last_seen_at(self) -> datetime | None: ...


class _Level(Protocol):
    @property
    def level(self) -> int: ...


@runtime_checkable
class WelcomeAnswers(Protocol):
    """Onboarding's store: what a member answered at the welcome, and when they were last seen."""

    async def answers(self, member_id: str) -> dict[str, str | None]: ...

    async def state(self, member_id: str) -> _Seen | None: ...


@runtime_checkable
class Levels(Protocol):
    """Recognition's store: each member's rung on the participation ladder."""

    async def level_states(self, member_ids: Iterable[str]) -> Mapping[str, _Level]: ...


@dataclass(frozen=True)
class GroupRow:
    id: int
    round_at: datetime
    members: tuple[str, ...]
    sent_at: datetime | None
    followup_due: datetime


@dataclass(frozen=True)
class IntroFigures:
    groups: int
    """Groups introduced in rounds within the period."""
    answered: int
    """Groups whose first answer to 'did you meet?' came within the period (a week after the
    round, so mostly last period's groups)."""
    met: int
    """Of those, groups in which at least one member said yes."""


class IntrosStore(Protocol):
    async def join(self, member_id: str, at: datetime) -> bool:
        """Opt in; True if the member was not opted in before."""

    async def leave(self, member_id: str, at: datetime) -> bool: ...

    async def skip(self, member_id: str, at: datetime) -> bool:
        """Leave the member out of the next round once; False if not opted in."""

    async def optin(self, member_id: str) -> Optin | None: ...

    async def opted_in(self) -> list[OptedIn]:
        """Opted-in members who are present in the community (never one who left)."""

    async def last_met(self) -> dict[tuple[str, str], datetime]:
        """Each pair (sorted ids) that was ever grouped -> the latest round it was grouped in."""

    async def create_round(
        self,
        scheduled_at: datetime,
        seed: int,
        groups: Sequence[Group],
        skipped: Sequence[str],
        *,
        now: datetime,
        followup_due: datetime,
    ) -> bool:
        """The round, its groups and the consumed skips in one transaction; False if another
        process (or an earlier run) already made the round for this time."""

    async def round_exists(self, scheduled_at: datetime) -> bool: ...

    async def unsent(self) -> list[GroupRow]: ...

    async def claim_send(self, group_id: int, now: datetime) -> bool:
        """Mark the group's introduction sent; True for the one caller that did."""

    async def next_followup_due(self) -> datetime | None: ...

    async def due_followups(self, now: datetime, limit: int) -> list[GroupRow]: ...

    async def claim_followup(self, group_id: int, now: datetime) -> bool: ...

    async def record_met(
        self, group_id: int, member_id: str, met: bool, at: datetime, week: date | None = None
    ) -> bool:
        """False when the member is not in that group. A 'yes' with the local `week` of `at`
        also counts the group's members as two-way connected that week (the health figures)."""

    async def figures(self, since: datetime, until: datetime) -> IntroFigures: ...

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...
