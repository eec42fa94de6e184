"""What events need from storage: events, RSVPs with a waiting list, sends claimed once,
attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class Rsvp(StrEnum):
    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not"
    WAITING = "waiting"
    """Said going when the event was full: moves up when a place opens."""


@dataclass(frozen=True)
class NewEvent:
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    channel: str
    created_by: str
    description: str = ""
    limit: int | None = None
    hosts: tuple[str, ...] = ()
    source_key: str | None = None
    """A calendar occurrence ('calendar:12'): the same prompt never makes two events."""


@dataclass(frozen=True)
class Event:
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    channel: str
    limit: int | None
    cancelled: bool
    created_by: str
    created_at: datetime
    hosts: tuple[str, ...]
    message_ref: str | None = None
    platform_ref: str | None = None


@dataclass(frozen=True)
class Counts:
    going: int = 0
    maybe: int = 0
    not_going: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class RsvpResult:
    status: Rsvp
    counts: Counts
    promoted: str | None = None
    """A member moved from the waiting list to going because this answer freed a place."""


@dataclass(frozen=True)
class EventFigures:
    events: int
    going: int
    attended: int


class EventStore(Protocol):
    async def create(self, new: NewEvent, at: datetime) -> Event | None:
        """None when an event with this source_key exists (another process made it)."""

    async def get(self, event_id: int) -> Event | None: ...

    async def by_platform_ref(self, platform_ref: str) -> Event | None: ...

    async def by_source(self, source_key: str) -> Event | None: ...

    async def upcoming(self, after: datetime, limit: int = 100) -> list[Event]:
        """Events not cancelled that end after `after`, soonest first."""

    async def set_refs(
        self, event_id: int, message_ref: str | None, platform_ref: str | None
    ) -> None: ...

    async def rsvp(self, event_id: int, member_id: str, answer: Rsvp, at: datetime) -> RsvpResult:
        """Record the answer; 'going' on a full event puts the member on the waiting list."""

    async def counts(self, event_id: int) -> Counts: ...

    async def members(self, event_id: int, *answers: Rsvp) -> list[str]:
        """Members with these answers, in the order they answered."""

    async def claim_send(self, event_id: int, key: str, at: datetime) -> bool:
        """True for the one caller that claims this (event, key): a reminder, a notice."""

    async def sent(self, event_ids: list[int]) -> set[tuple[int, str]]: ...

    async def mark_interest(
        self, event_id: int, member_id: str, interested: bool, at: datetime
    ) -> None:
        """Remember that the platform said this member is (or no longer is) interested."""

    async def interest_marks(self, event_id: int) -> set[str]:
        """Members whose RSVP came from the platform's interest and who have not taken it back."""

    async def cancel(self, event_id: int) -> bool: ...

    async def move(self, event_id: int, starts_at: datetime, ends_at: datetime) -> bool: ...

    async def record_attendance(self, event_id: int, member_id: str, by: str, at: datetime) -> bool:
        """True the first time this member is recorded as having come."""

    async def figures(self, start: datetime, end: datetime) -> EventFigures: ...

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...
