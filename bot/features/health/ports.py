"""What the health feature records and asks of storage: ids and times only, never text.

storage/health.py implements HealthStore over the `health_*` tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol


class AskKind(StrEnum):
    QUESTION = "question"
    """A member's message in a help channel that reads as a question."""
    FIRST_POST = "first_post"
    """A member's first post (the report counts it when they were a newcomer then)."""
    PROMPT = "prompt"
    """A question prompt the calendar posted (Plein asks; any member's reply answers it)."""


@dataclass(frozen=True, slots=True)
class Asked:
    """Something that waits for a first reply from someone else."""

    ref: str
    kind: AskKind
    author_id: str
    channel: str
    at: datetime
    theme: str | None = None
    """The calendar theme of a question prompt: its hosts get the nudge."""


@dataclass(frozen=True, slots=True)
class FirstPost:
    """A post by a member Plein has not seen post before; it becomes an Asked of kind
    FIRST_POST only when storage has no earlier post of theirs either."""

    member_id: str
    ref: str
    channel: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Replied:
    """A reply by `by` under `refs` (the message replied to and its thread root)."""

    refs: tuple[str, ...]
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Touched:
    """`from_id` replied to or reacted to `to_id` in the local week starting `week`."""

    week: date
    from_id: str
    to_id: str
    replies: int
    reactions: int


@dataclass(frozen=True, slots=True)
class Seen:
    """`member_id` did something in the local hour `slot` (weekday * 24 + hour) of `week`."""

    week: date
    slot: int
    member_id: str


HealthRow = Asked | FirstPost | Replied | Touched | Seen


@dataclass(frozen=True)
class Waiting:
    """An ask still without a reply from someone else."""

    ref: str
    kind: AskKind
    author_id: str
    channel: str
    at: datetime
    theme: str | None = None


class HealthStore(Protocol):
    async def record(self, rows: Sequence[HealthRow]) -> None:
        """Write a batch in one transaction: asks (first posts only when storage knows no
        earlier post of the member), first replies (never the author's own), pair counts,
        active hours."""

    async def waiting(
        self,
        asked_before: datetime,
        asked_after: datetime,
        newcomer_days: int,
        limit: int,
        *,
        include_nudged: bool = False,
    ) -> list[Waiting]:
        """Asks in (asked_after, asked_before] with no reply (and no nudge yet, unless
        `include_nudged`): questions and calendar prompts; first posts only of members who were newcomers then (first joined
        within `newcomer_days`, not before Plein) and are still here."""

    async def mark_nudged(self, refs: Sequence[str], at: datetime) -> list[str]:
        """Mark the asks nudged; returns the refs this call marked (not marked before)."""

    async def prune_hours(self, before: date) -> None:
        """Forget who was active in which hour before `before` (the counts stay)."""

    async def snapshot_ladder(self, week: date) -> int:
        """Store each member's current rung above the first for `week` (once); the count."""

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...
