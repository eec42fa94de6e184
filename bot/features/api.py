"""Small protocols features offer each other; a manifest's `needs` names the features it uses.

The calendar posts real polls and stellingen through `PollPublisher` and resurfaces archived
stories through `StorySource`; either may be absent (feature not listed or disabled), then it
posts plain text. Runtime-checkable, so the calendar verifies what its peers hand it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class PollPublisher(Protocol):
    async def publish_poll(
        self,
        *,
        channel: str,
        question: str,
        options: Sequence[str],
        creator_id: str | None = None,
        closes_at: datetime | None = None,
    ) -> str | None:
        """Create and post a poll; return the platform ref of its message."""

    async def publish_stelling(
        self,
        *,
        channel: str,
        statement: str,
        creator_id: str | None = None,
        closes_at: datetime | None = None,
    ) -> str | None:
        """Create and post a stelling (5-point scale + discussion thread); return its message ref."""


@runtime_checkable
class EventPublisher(Protocol):
    async def publish_event(
        self,
        *,
        title: str,
        description: str,
        starts_at: datetime,
        place: str,
        channel: str,
        hosts: Sequence[str],
        source_key: str,
    ) -> str | None:
        """Create and announce an event with RSVP (once per source_key); its message ref."""


class SurveyPublisher(Protocol):
    async def publish_survey(
        self,
        *,
        title: str,
        questions: Sequence[str],
        anonymous: bool,
        duration: timedelta | None,
        channel: str,
        source_key: str,
    ) -> str | None:
        """Open and announce a survey (once per source_key); its message ref."""


@dataclass(frozen=True)
class ArchivedStory:
    id: int
    title: str
    text: str
    added_by: str | None
    added_at: datetime


@runtime_checkable
class StorySource(Protocol):
    async def pick_story(self, now: datetime) -> ArchivedStory | None:
        """A story to resurface ('from the archive'), preferring ones not shown recently."""


@dataclass(frozen=True)
class PostedPrompt:
    """A calendar prompt that is now in the community (posted by the process holding its claim;
    a takeover after a crash reports the same message again, so a listener must be idempotent)."""

    type: str
    theme: str
    channel: str
    message_ref: str
    at: datetime


PromptListener = Callable[[PostedPrompt], Awaitable[None]]
"""Told of each posted prompt before the calendar marks it posted (the health feature records
question prompts as asks); a failing listener is logged and does not stop the calendar."""
