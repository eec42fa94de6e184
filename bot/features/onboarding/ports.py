"""What onboarding needs from storage (implemented in storage/onboarding.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.leases import Lease

WELCOME_CLAIM = "onboarding.welcome"
"""The leased claim on sending a queued welcome (bot/leases.py)."""


@dataclass(frozen=True)
class OnboardingState:
    member_id: str
    welcomed_join: int
    welcomed_at: datetime
    rules_accepted_at: datetime | None
    question_pos: int | None
    """Index of the question waiting for an answer in DM; None when not asking."""
    questions_done_at: datetime | None
    intro_posted_at: datetime | None
    first_post_at: datetime | None
    last_seen_at: datetime | None


@dataclass(frozen=True)
class QueuedWelcome:
    id: int
    member_id: str
    kind: str
    """'welcome' (full intake) or 'welcome_back'."""
    enqueued_at: datetime


@dataclass(frozen=True)
class DueFollowup:
    member_id: str
    index: int
    due_at: datetime


@dataclass(frozen=True)
class PendingMember:
    member_id: str
    name: str
    joined_at: datetime


class OnboardingStore(Protocol):
    # -- welcome claims and the throttled queue --
    async def claim_welcome(self, member_id: str, join_count: int, kind: str, at: datetime) -> bool:
        """Claim the welcome for this join (unique per member and join) and queue it, atomically."""

    async def queued(self, limit: int) -> list[QueuedWelcome]: ...

    async def claim_queued(self, item_id: int, at: datetime) -> Lease | None:
        """Mark a queued welcome as sent and claim it (WELCOME_CLAIM) in one transaction; None
        when another worker took it. A dead worker's claim is taken over after its lease."""

    async def queued_item(self, item_id: int) -> QueuedWelcome | None: ...

    async def sent_since(self, since: datetime) -> list[datetime]:
        """Send times of queued welcomes sent after `since` (strictly), oldest first."""

    # -- member state --
    async def state(self, member_id: str) -> OnboardingState | None: ...

    async def ensure_state(self, member_id: str, at: datetime) -> None: ...

    async def set_question_pos(self, member_id: str, pos: int | None) -> None: ...

    async def save_answer(
        self, member_id: str, question_id: str, answer: str | None, at: datetime
    ) -> None:
        """None = skipped."""

    async def answers(self, member_id: str) -> dict[str, str | None]: ...

    async def mark_questions_done(self, member_id: str, at: datetime) -> bool: ...

    async def accept_rules(self, member_id: str, at: datetime) -> bool: ...

    async def claim_intro(self, member_id: str, at: datetime) -> bool: ...

    async def record_activities(self, marks: Sequence[tuple[str, datetime]]) -> None:
        """Each member's first post (kept) and last activity, in one transaction."""
        ...

    # -- follow-ups --
    async def schedule_followups(self, member_id: str, dues: list[tuple[int, datetime]]) -> None:
        """Replace the member's follow-ups with these (index, due time) pairs."""

    async def next_followup_due(self) -> datetime | None: ...

    async def due_followups(self, now: datetime, limit: int) -> list[DueFollowup]: ...

    async def finish_followup(self, member_id: str, index: int, status: str, at: datetime) -> bool:
        """Move a pending follow-up to sent/skipped/stale; False when it was not pending."""

    async def reschedule_followup(self, member_id: str, index: int, due: datetime) -> None: ...

    async def cancel_followups(self, member_id: str, at: datetime) -> int: ...

    # -- overviews --
    async def not_accepted(self) -> list[PendingMember]: ...

    async def not_answered(self) -> list[PendingMember]: ...

    async def answer_counts(self, question_id: str) -> dict[str, int]: ...

    # -- personal data --
    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...
