"""Events flowing in from adapters. Platform-neutral, frozen, never carrying stored text.

Ids are strings tagged with their platform ("console:anna", "discord:1234", "slack:U01").
`event_id` is the platform's own delivery id when it has one, so the core can drop replays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    is_bot: bool = False


@dataclass(frozen=True)
class Actor(Member):
    """The member behind a command or click, with what the platform knows of their standing."""

    is_manager: bool = False
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interaction:
    """An answerable interaction (slash command, button click, form submit).

    `id` is opaque to the core; the adapter uses it to reply within the platform's deadline.
    `channel` is where it happened (None for a DM).
    """

    id: str
    channel: str | None = None


@dataclass(frozen=True, kw_only=True)
class Event:
    event_id: str | None = None
    replayed_from: datetime | None = None
    """Set when the adapter hands back an event from the durable inbox after a restart: when it
    was first received. Its effects may already be stored (a crash between the effect and the
    processed mark); non-idempotent counters check before counting again."""


@dataclass(frozen=True, kw_only=True)
class MemberJoined(Event):
    member: Member
    pending_screening: bool = False
    platform_says_rejoin: bool = False


@dataclass(frozen=True, kw_only=True)
class MemberLeft(Event):
    member: Member


@dataclass(frozen=True, kw_only=True)
class InterestChanged(Event):
    """A member marked (or took back) interest in a platform's own event (Discord's
    'Interested' on a Guild Scheduled Event); `platform_ref` is that event's id."""

    member: Member
    platform_ref: str
    interested: bool


@dataclass(frozen=True, kw_only=True)
class InterestListed(Event):
    """Everyone the platform lists as interested in one of its events, re-read after a restart
    or a fresh session (Discord: GET .../scheduled-events/{id}/users), so the core can catch up
    on interest given or taken back while Plein was not listening."""

    platform_ref: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class ListedMember:
    """One member as the platform's member list shows it (a member sync, not a join)."""

    id: str
    name: str
    is_bot: bool = False
    joined_at: datetime | None = None
    """When the platform says they joined (Discord `joined_at`); None when it does not say."""
    joined_at_estimated: bool = False
    """`joined_at` is an upper bound, not the join itself (Slack's profile `updated` time)."""


@dataclass(frozen=True, kw_only=True)
class MembersListed(Event):
    """One batch of the platform's member list. An adapter streams the whole list as batches
    sharing one `sync_id`, the final one with `last=True`; only a finished list marks anyone as
    left, so a sync cut off half-way changes nothing but the members it did see."""

    sync_id: str
    batch: tuple[ListedMember, ...]
    last: bool = False


@dataclass(frozen=True, kw_only=True)
class MemberUpdated(Event):
    member: Member
    passed_screening: bool = False


@dataclass(frozen=True, kw_only=True)
class MessagePosted(Event):
    author: Member
    channel: str
    message_ref: str
    length: int
    thread_of: str | None = None
    reply_to: str | None = None
    mentions: tuple[str, ...] = ()
    """Member ids the platform says the message mentions (not roles, not @everyone)."""
    text: str = field(default="", repr=False, compare=False)
    """The text, for detection at ingest only (thanks in plain words): no handler stores it,
    logs it or keeps it past its own call; it is gone once the event is dispatched."""
    reply_to_author: str | None = None
    """Who wrote the message replied to (the thread root's author in a thread), when known."""
    question: bool = False
    """The text read as a question (a trailing `?`); the adapter decides, the text is dropped."""


def reads_as_question(text: str) -> bool:
    """What adapters put in MessagePosted.question: the text ends with a question mark."""
    return text.rstrip().endswith(("?", "\uff1f"))  # also the full-width mark


@dataclass(frozen=True, kw_only=True)
class ReactionAdded(Event):
    member: Member
    message_ref: str
    emoji: str
    channel: str | None = None
    message_author: str | None = None


@dataclass(frozen=True, kw_only=True)
class DirectMessage(Event):
    author: Member
    text: str
    message_ref: str | None = None


def _frozen(values: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, kw_only=True)
class CommandInvoked(Event):
    actor: Actor
    path: tuple[str, ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    interaction: Interaction

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _frozen(self.options))


@dataclass(frozen=True, kw_only=True)
class ChoicePicked(Event):
    actor: Actor
    message_ref: str
    choice_id: str
    interaction: Interaction


@dataclass(frozen=True, kw_only=True)
class FormSubmitted(Event):
    actor: Actor
    form_id: str
    values: Mapping[str, str] = field(default_factory=dict)
    interaction: Interaction

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen(self.values))
