"""What the polls feature needs from storage, in domain terms (storage/polls.py implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from bot.leases import Lease

CLOSE_CLAIM = "polls.close"
"""The leased claim on announcing a poll's close (bot/leases.py)."""


class PollKind(StrEnum):
    POLL = "poll"
    STELLING = "stelling"


@dataclass(frozen=True)
class PollOption:
    position: int
    label: str


@dataclass(frozen=True)
class NewPoll:
    kind: PollKind
    question: str
    channel: str
    options: tuple[str, ...]
    creator_id: str | None
    max_choices: int
    anonymous: bool
    live_results: bool
    allow_add: bool
    created_at: datetime
    closes_at: datetime
    salt: str | None = None
    parent_id: int | None = None


@dataclass(frozen=True)
class Poll:
    id: int
    kind: PollKind
    question: str
    channel: str
    creator_id: str | None
    max_choices: int
    anonymous: bool
    live_results: bool
    allow_add: bool
    created_at: datetime
    closes_at: datetime
    options: tuple[PollOption, ...]
    closed_at: datetime | None = None
    message_ref: str | None = None
    thread_ref: str | None = None
    salt: str | None = None
    parent_id: int | None = None
    reply_count: int = 0

    @property
    def single_choice(self) -> bool:
        return self.max_choices == 1

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.closes_at

    def label(self, position: int) -> str:
        return next((o.label for o in self.options if o.position == position), "?")


class VoteStatus(StrEnum):
    RECORDED = "recorded"
    CLOSED = "closed"
    UNKNOWN_POLL = "unknown_poll"
    UNKNOWN_OPTION = "unknown_option"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class VoteOutcome:
    status: VoteStatus
    choices: tuple[int, ...] = ()
    """The member's positions after this vote (what the confirmation states)."""
    first_vote: bool = False


@dataclass(frozen=True)
class Tally:
    counts: dict[int, int] = field(default_factory=dict)
    voters: int = 0

    def count(self, position: int) -> int:
        return self.counts.get(position, 0)


@dataclass(frozen=True)
class NamedVote:
    member_id: str
    position: int
    cast_at: datetime


class PollStore(Protocol):
    async def create(self, new: NewPoll) -> Poll: ...

    async def set_message(self, poll_id: int, message_ref: str, thread_ref: str | None) -> None: ...

    async def get(self, poll_id: int) -> Poll | None: ...

    async def cast(
        self,
        poll_id: int,
        voter_key: str,
        member_id: str | None,
        position: int,
        now: datetime,
        stamp: datetime | None = None,
        event_id: str | None = None,
    ) -> VoteOutcome:
        """Record a pick atomically: single choice replaces, multi-choice toggles (unique keys);
        a toggle whose `event_id` was applied before changes nothing (an inbox replay).

        `now` decides whether the poll is still open; `stamp` is the time stored on the rows
        (anonymous polls store their creation time, so vote times cannot be matched to members).
        """

    async def tally(self, poll_id: int) -> Tally: ...

    async def named_votes(self, poll_id: int) -> list[NamedVote]:
        """Who picked what; always empty for anonymous polls (no member ids are stored there)."""

    async def add_option(self, poll_id: int, label: str, added_by: str, limit: int) -> int | None:
        """The new option's position, or None when the poll already has `limit` options."""

    async def claim_close(self, poll_id: int, now: datetime) -> Lease | None:
        """Mark the poll closed and claim its announcement (CLOSE_CLAIM) in one transaction;
        the lease only for the one caller that closed it, or that takes over a dead closer's."""

    async def next_close(self) -> datetime | None: ...

    async def overdue(self, now: datetime) -> list[int]: ...

    async def open_stelling_threads(self) -> dict[str, int]:
        """message/thread ref -> poll id, for open stellingen (to count discussion replies)."""

    async def count_reply(self, poll_id: int) -> None: ...

    async def export_member(self, member_id: str) -> list[dict[str, Any]]: ...

    async def erase_member(self, member_id: str) -> int: ...

    async def children(self, parent_id: int) -> Sequence[int]: ...
