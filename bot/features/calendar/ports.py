"""What the calendar needs from storage: occurrences (claimed before posting), reply links, RSVPs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class Status(StrEnum):
    PLANNED = "planned"
    """The prompt is decided (at reminder time); not posted yet."""
    POSTING = "posting"
    """Claimed by one process, which is posting it now."""
    POSTED = "posted"
    FAILED = "failed"
    SKIPPED = "skipped"
    """A manager skipped it, or the calendar was paused, or it was missed during downtime."""


IN_USE = (Status.PLANNED, Status.POSTING, Status.POSTED)
"""Occurrences whose prompt counts as used for rotation."""


@dataclass(frozen=True)
class Occurrence:
    id: int
    slot_key: str
    scheduled_at: datetime
    status: Status
    theme: str | None
    prompt_key: str | None
    prompt_type: str | None
    channel: str | None
    message_ref: str | None = None
    thread_ref: str | None = None
    reminded_at: datetime | None = None
    posted_at: datetime | None = None
    note: str | None = None


@dataclass(frozen=True)
class Usage:
    """When each prompt and each (slot, theme) was last used: rotation picks the least recent."""

    prompts: dict[tuple[str, str], datetime]
    slot_themes: dict[tuple[str, str], datetime]

    def copy(self) -> Usage:
        return Usage(dict(self.prompts), dict(self.slot_themes))

    def record(self, slot_key: str, theme: str, prompt_key: str, at: datetime) -> None:
        for table, key in (
            (self.prompts, (theme, prompt_key)),
            (self.slot_themes, (slot_key, theme)),
        ):
            if key not in table or table[key] < at:
                table[key] = at


class CalendarStore(Protocol):
    async def plan(
        self,
        *,
        slot_key: str,
        scheduled_at: datetime,
        now: datetime,
        status: Status = Status.PLANNED,
        theme: str | None = None,
        prompt_key: str | None = None,
        prompt_type: str | None = None,
        channel: str | None = None,
        note: str | None = None,
    ) -> tuple[Occurrence, bool]:
        """Insert the occurrence (unique slot + time) or return the existing one; True if new."""

    async def get(self, slot_key: str, scheduled_at: datetime) -> Occurrence | None: ...

    async def by_id(self, occurrence_id: int) -> Occurrence | None: ...

    async def between(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Occurrences with start < scheduled_at <= end."""

    async def claim_reminder(self, occurrence_id: int, now: datetime) -> bool:
        """Set reminded_at if still unset; True for the one caller that did."""

    async def claim_post(self, occurrence_id: int, now: datetime) -> bool:
        """planned -> posting with a lease; True for the one caller that did. A post whose
        claimer died (lease expired, never finished) may be claimed again: a takeover."""

    async def abandoned_posts(self, now: datetime) -> list[int]:
        """Occurrences claimed for posting, never finished, whose lease has expired."""

    async def close_post_claim(self, occurrence_id: int, now: datetime) -> None:
        """An open claim with nothing left to post (the row was settled another way)."""

    async def next_takeover(self) -> datetime | None:
        """When the earliest unfinished post claim's lease expires (None: none open)."""

    async def finish(
        self,
        occurrence_id: int,
        status: Status,
        now: datetime,
        *,
        message_ref: str | None = None,
        thread_ref: str | None = None,
        note: str | None = None,
    ) -> None: ...

    async def skip_planned(self, occurrence_id: int, note: str) -> bool:
        """planned -> skipped; True if it changed."""

    async def last_scheduled(self, slot_key: str) -> datetime | None: ...

    async def usage(self) -> Usage: ...

    async def prompt_refs(self, since: datetime) -> dict[str, tuple[int, str]]:
        """Message and thread refs of prompts posted since `since` -> (occurrence id, theme)."""

    async def link_reply(
        self, occurrence_id: int, member_id: str, message_ref: str, at: datetime
    ) -> bool:
        """Record a reply to a prompt (ids only); False if this message was already linked."""

    async def record_hosted(self, occurrence_id: int, member_id: str, at: datetime) -> bool: ...

    async def add_rsvp(self, occurrence_id: int, member_id: str, at: datetime) -> tuple[bool, int]:
        """(newly added, how many are coming)."""

    async def reply_count(self, occurrence_id: int) -> int: ...

    async def is_paused(self) -> bool: ...

    async def set_paused(self, paused: bool, by: str, at: datetime) -> bool:
        """True if the state changed."""

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...
