"""What surveys ask of storage (storage/surveys.py), and the survey's shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class QuestionKind(StrEnum):
    POLL = "poll"
    STELLING = "stelling"
    TEXT = "text"


@dataclass(frozen=True)
class Question:
    position: int
    kind: QuestionKind
    text: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Survey:
    id: int
    title: str
    channel: str
    creator_id: str | None
    anonymous: bool
    created_at: datetime
    closes_at: datetime
    remind_at: datetime | None
    questions: tuple[Question, ...]
    closed_at: datetime | None = None
    message_ref: str | None = None
    salt: str | None = None

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and now < self.closes_at


@dataclass(frozen=True)
class Response:
    responder: str
    member_id: str | None
    """None for an anonymous survey: nothing links the answers to a member."""
    answers: Mapping[int, str]


class SurveyStore(Protocol):
    async def create(
        self,
        *,
        title: str,
        channel: str,
        creator_id: str,
        anonymous: bool,
        created_at: datetime,
        closes_at: datetime,
        remind_at: datetime | None,
        salt: str | None,
        questions: Sequence[Question],
    ) -> Survey: ...

    async def set_message(self, survey_id: int, ref: str) -> None: ...

    async def get(self, survey_id: int) -> Survey | None: ...

    async def by_creator(self, creator_id: str) -> Survey | None:
        """The first survey this creator made (a calendar occurrence makes at most one)."""

    async def answer(
        self,
        survey_id: int,
        responder: str,
        member_id: str | None,
        answers: Mapping[int, str],
        at: datetime,
    ) -> bool:
        """Replace this responder's answers to these questions (one transaction); True for a
        first response."""

    async def responses(self, survey_id: int) -> list[Response]: ...

    async def responders(self, survey_id: int) -> set[str]: ...

    async def next_due(self) -> datetime | None:
        """The earliest open close or unsent reminder."""

    async def due_reminders(self, now: datetime) -> list[int]: ...

    async def claim_reminder(self, survey_id: int, now: datetime) -> bool:
        """True for the one caller that may send this survey's reminder (once, ever)."""

    async def due_closes(self, now: datetime) -> list[int]: ...

    async def closed_between(self, since: datetime, until: datetime) -> list[int]: ...

    async def claim_close(self, survey_id: int, now: datetime) -> bool:
        """Close once; drops an anonymous survey's salt, so nothing can be linked afterwards."""

    async def export_member(self, member_id: str) -> list[dict[str, object]]: ...

    async def erase_member(self, member_id: str) -> None:
        """Named answers go; anonymous ones were never linked to the member."""
