"""Domain signals between services (a vote was cast, a prompt was answered), without coupling them.

Polls, the calendar and onboarding emit `Contributed`; recognition listens. A service that is
switched off simply has no listeners.

A signal reports something already done (the vote is committed), so a failing listener is logged
and skipped: it never turns the emitter's committed action into an error for the member.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

log = logging.getLogger("plein.signals")


class ContributionKind(StrEnum):
    MESSAGE = "message"
    REPLY = "reply"
    REACTION_GIVEN = "reaction_given"
    REACTION_RECEIVED = "reaction_received"
    VOTE = "vote"
    PROMPT_ANSWER = "prompt_answer"
    QUESTIONS_COMPLETED = "questions_completed"
    KUDOS_RECEIVED = "kudos_received"
    HOSTED = "hosted"
    ATTENDED = "attended"
    EVENT_ATTENDED = "event_attended"
    """A host confirmed the member came to an event (not just an RSVP)."""


@dataclass(frozen=True)
class Contributed:
    member_id: str
    kind: ContributionKind
    at: datetime
    channel: str | None = None
    length: int = 0
    ref: str | None = None


S = TypeVar("S")


class Signals:
    def __init__(self) -> None:
        self._listeners: dict[type, list[Callable[[Any], Awaitable[None]]]] = {}

    def subscribe(self, kind: type[S], listener: Callable[[S], Awaitable[None]]) -> None:
        self._listeners.setdefault(kind, []).append(listener)

    async def emit(self, signal: object) -> None:
        """Run every listener in turn; one failing does not stop the others or the emitter."""
        for listener in self._listeners.get(type(signal), ()):
            try:
                await listener(signal)
            except Exception:
                log.exception(
                    "listener %s failed on %s",
                    getattr(listener, "__qualname__", listener),
                    type(signal).__name__,
                )


@dataclass(frozen=True)
class MemberArrived:
    """Emitted once the member registry has recorded a join (first time, rejoin or replay)."""

    member_id: str
    name: str
    at: datetime
    first_time: bool
    already_present: bool
    join_count: int
    pending_screening: bool = False
    welcome: bool = True
    """False for a member a sync found who joined while Plein was offline, longer ago than
    `onboarding.catch_up_window`: registered, never welcomed."""


@dataclass(frozen=True)
class MemberDeparted:
    member_id: str
    at: datetime
