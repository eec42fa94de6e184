"""Surveys: a survey with 2-8 questions, one response row per responder and one answer row per
(responder, question). Anonymous surveys key responses by an HMAC under the survey's salt (kept
only while it is open) and store no member id, like anonymous polls.

- surveys           title, channel, creator, anonymous, close and reminder moments (claimed once)
- survey_questions  position, kind (poll/stelling/text), text, options (one per line)
- survey_responses  (survey, responder): member_id (NULL when anonymous), when
- survey_answers    (survey, responder, position): the value
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from bot.features.surveys.ports import Question, QuestionKind, Response, Survey
from storage.db import Database
from storage.schema import UtcDateTime, conflict_insert, metadata

_Id = BigInteger().with_variant(Integer, "sqlite")

surveys = Table(
    "surveys",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("title", String(300), nullable=False),
    Column("channel", String(100), nullable=False),
    Column("creator_id", String(100), nullable=True),
    Column("anonymous", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("remind_at", UtcDateTime, nullable=True),
    Column("reminded_at", UtcDateTime, nullable=True),
    Column("message_ref", String(200), nullable=True),
    Column("salt", String(64), nullable=True),
)

survey_questions = Table(
    "survey_questions",
    metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("text", String(300), nullable=False),
    Column("options", Text, nullable=False),
    PrimaryKeyConstraint("survey_id", "position", name="pk_survey_questions"),
)

survey_responses = Table(
    "survey_responses",
    metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
    Column("responder", String(100), nullable=False),
    Column("member_id", String(100), nullable=True),
    Column("answered_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("survey_id", "responder", name="pk_survey_responses"),
)

survey_answers = Table(
    "survey_answers",
    metadata,
    Column("survey_id", ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False),
    Column("responder", String(100), nullable=False),
    Column("position", Integer, nullable=False),
    Column("value", Text, nullable=False),
    PrimaryKeyConstraint("survey_id", "responder", "position", name="pk_survey_answers"),
)


def _survey(row: Any, questions: Sequence[Question]) -> Survey:
    return Survey(
        id=row.id,
        title=row.title,
        channel=row.channel,
        creator_id=row.creator_id,
        anonymous=bool(row.anonymous),
        created_at=row.created_at,
        closes_at=row.closes_at,
        remind_at=row.remind_at,
        questions=tuple(questions),
        closed_at=row.closed_at,
        message_ref=row.message_ref,
        salt=row.salt,
    )


class SqlSurveyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

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
    ) -> Survey:
        async with self.db.begin() as conn:
            done = await conn.execute(
                insert(surveys).values(
                    title=title,
                    channel=channel,
                    creator_id=creator_id,
                    anonymous=anonymous,
                    created_at=created_at,
                    closes_at=closes_at,
                    remind_at=remind_at,
                    salt=salt,
                )
            )
            key = done.inserted_primary_key
            assert key is not None
            survey_id = int(key[0])
            await conn.execute(
                insert(survey_questions),
                [
                    {
                        "survey_id": survey_id,
                        "position": q.position,
                        "kind": q.kind.value,
                        "text": q.text,
                        "options": "\n".join(q.options),
                    }
                    for q in questions
                ],
            )
        survey = await self.get(survey_id)
        assert survey is not None
        return survey

    async def set_message(self, survey_id: int, ref: str) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(surveys).where(surveys.c.id == survey_id).values(message_ref=ref)
            )

    async def get(self, survey_id: int) -> Survey | None:
        q = survey_questions.c
        async with self.db.connect() as conn:
            row = (await conn.execute(select(surveys).where(surveys.c.id == survey_id))).first()
            if row is None:
                return None
            rows = await conn.execute(
                select(q.position, q.kind, q.text, q.options)
                .where(q.survey_id == survey_id)
                .order_by(q.position)
            )
            questions = [
                Question(p, QuestionKind(k), t, tuple(o.split("\n")) if o else ())
                for p, k, t, o in rows
            ]
        return _survey(row, questions)

    async def by_creator(self, creator_id: str) -> Survey | None:
        async with self.db.connect() as conn:
            found = (
                await conn.execute(
                    select(surveys.c.id)
                    .where(surveys.c.creator_id == creator_id)
                    .order_by(surveys.c.id)
                    .limit(1)
                )
            ).scalar()
        return None if found is None else await self.get(int(found))

    async def answer(
        self,
        survey_id: int,
        responder: str,
        member_id: str | None,
        answers: Mapping[int, str],
        at: datetime,
    ) -> bool:
        r, a = survey_responses.c, survey_answers.c
        async with self.db.begin() as conn:
            upsert = conflict_insert(conn.dialect.name)
            first = await conn.execute(
                upsert(survey_responses)
                .values(
                    survey_id=survey_id, responder=responder, member_id=member_id, answered_at=at
                )
                .on_conflict_do_nothing(index_elements=["survey_id", "responder"])
            )
            await conn.execute(
                update(survey_responses)
                .where(r.survey_id == survey_id, r.responder == responder)
                .values(answered_at=at)
            )
            await conn.execute(
                delete(survey_answers).where(
                    a.survey_id == survey_id,
                    a.responder == responder,
                    a.position.in_(list(answers)),
                )
            )
            rows = [
                {"survey_id": survey_id, "responder": responder, "position": p, "value": v}
                for p, v in answers.items()
                if v
            ]
            if rows:
                await conn.execute(insert(survey_answers), rows)
            return first.rowcount == 1

    async def responses(self, survey_id: int) -> list[Response]:
        r, a = survey_responses.c, survey_answers.c
        async with self.db.connect() as conn:
            people = (
                await conn.execute(
                    select(r.responder, r.member_id)
                    .where(r.survey_id == survey_id)
                    .order_by(r.answered_at, r.responder)
                )
            ).all()
            values = await conn.execute(
                select(a.responder, a.position, a.value).where(a.survey_id == survey_id)
            )
            by_responder: dict[str, dict[int, str]] = {}
            for responder, position, value in values:
                by_responder.setdefault(responder, {})[position] = value
        return [Response(p, m, by_responder.get(p, {})) for p, m in people]

    async def responders(self, survey_id: int) -> set[str]:
        r = survey_responses.c
        async with self.db.connect() as conn:
            rows = await conn.execute(select(r.responder).where(r.survey_id == survey_id))
            return {row[0] for row in rows}

    async def next_due(self) -> datetime | None:
        s = surveys.c
        async with self.db.connect() as conn:
            close = (
                await conn.execute(select(func.min(s.closes_at)).where(s.closed_at.is_(None)))
            ).scalar()
            remind = (
                await conn.execute(
                    select(func.min(s.remind_at)).where(
                        s.reminded_at.is_(None), s.closed_at.is_(None)
                    )
                )
            ).scalar()
        due = [d for d in (close, remind) if d is not None]
        return min(due) if due else None

    async def due_reminders(self, now: datetime) -> list[int]:
        s = surveys.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(s.id).where(
                    s.reminded_at.is_(None), s.closed_at.is_(None), s.remind_at <= now
                )
            )
            return [row[0] for row in rows]

    async def claim_reminder(self, survey_id: int, now: datetime) -> bool:
        s = surveys.c
        async with self.db.begin() as conn:
            done = await conn.execute(
                update(surveys)
                .where(s.id == survey_id, s.reminded_at.is_(None), s.closed_at.is_(None))
                .values(reminded_at=now)
            )
            return done.rowcount == 1

    async def due_closes(self, now: datetime) -> list[int]:
        s = surveys.c
        async with self.db.connect() as conn:
            rows = await conn.execute(select(s.id).where(s.closed_at.is_(None), s.closes_at <= now))
            return [row[0] for row in rows]

    async def closed_between(self, since: datetime, until: datetime) -> list[int]:
        s = surveys.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(s.id)
                .where(s.closed_at >= since, s.closed_at < until)
                .order_by(s.closed_at, s.id)
            )
            return [row[0] for row in rows]

    async def claim_close(self, survey_id: int, now: datetime) -> bool:
        s = surveys.c
        async with self.db.begin() as conn:
            done = await conn.execute(
                update(surveys)
                .where(s.id == survey_id, s.closed_at.is_(None))
                .values(closed_at=now, salt=None)
            )
            return done.rowcount == 1

    async def export_member(self, member_id: str) -> list[dict[str, object]]:
        r, a, q = survey_responses.c, survey_answers.c, survey_questions.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(a.survey_id, q.text, a.value)
                .select_from(
                    survey_answers.join(
                        survey_responses,
                        (r.survey_id == a.survey_id) & (r.responder == a.responder),
                    ).join(
                        survey_questions,
                        (q.survey_id == a.survey_id) & (q.position == a.position),
                    )
                )
                .where(r.member_id == member_id)
                .order_by(a.survey_id, a.position)
            )
            return [{"survey": s, "question": t, "answer": v} for s, t, v in rows]

    async def erase_member(self, member_id: str) -> None:
        r, a = survey_responses.c, survey_answers.c
        async with self.db.begin() as conn:
            await conn.execute(
                delete(survey_answers).where(
                    a.responder.in_(select(r.responder).where(r.member_id == member_id)),
                    a.survey_id.in_(select(r.survey_id).where(r.member_id == member_id)),
                )
            )
            await conn.execute(delete(survey_responses).where(r.member_id == member_id))
            await conn.execute(
                update(surveys).where(surveys.c.creator_id == member_id).values(creator_id=None)
            )


def make_store(db: Database) -> SqlSurveyStore:
    return SqlSurveyStore(db)
