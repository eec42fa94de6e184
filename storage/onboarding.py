"""Tables and queries for onboarding: per-member state, answers, follow-ups, the welcome queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.onboarding.ports import (
    WELCOME_CLAIM,
    DueFollowup,
    OnboardingState,
    PendingMember,
    QueuedWelcome,
)
from bot.leases import Lease
from storage.claims import Claims, work_claims
from storage.db import Database
from storage.members import members
from storage.schema import UtcDateTime, conflict_insert, metadata

state = Table(
    "onboarding_state",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("welcomed_join", Integer, nullable=False, default=0),
    Column("welcomed_at", UtcDateTime, nullable=False),
    Column("rules_accepted_at", UtcDateTime, nullable=True),
    Column("question_pos", Integer, nullable=True),
    Column("questions_done_at", UtcDateTime, nullable=True),
    Column("intro_posted_at", UtcDateTime, nullable=True),
    Column("first_post_at", UtcDateTime, nullable=True),
    Column("last_seen_at", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("member_id", name="pk_onboarding_state"),
)

answers = Table(
    "onboarding_answers",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("question_id", String(40), nullable=False),
    Column("answer", Text, nullable=True),
    Column("answered_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("member_id", "question_id", name="pk_onboarding_answers"),
)

followups = Table(
    "onboarding_followups",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("done_at", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("member_id", "idx", name="pk_onboarding_followups"),
    Index("ix_onboarding_followups_status_due", "status", "due_at"),
)

queue = Table(
    "onboarding_queue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("enqueued_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Index("ix_onboarding_queue_sent_at", "sent_at"),
)


def _as_state(row: Any) -> OnboardingState:
    return OnboardingState(
        member_id=row.member_id,
        welcomed_join=row.welcomed_join,
        welcomed_at=row.welcomed_at,
        rules_accepted_at=row.rules_accepted_at,
        question_pos=row.question_pos,
        questions_done_at=row.questions_done_at,
        intro_posted_at=row.intro_posted_at,
        first_post_at=row.first_post_at,
        last_seen_at=row.last_seen_at,
    )


async def _insert_state_if_missing(conn: AsyncConnection, member_id: str, at: datetime) -> None:
    values = {"member_id": member_id, "welcomed_join": 0, "welcomed_at": at}
    insert_ = conflict_insert(conn.dialect.name)
    await conn.execute(insert_(state).values(**values).on_conflict_do_nothing())


class SqlOnboardingStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.claims = Claims(db)

    # -- welcome claims and the throttled queue -------------------------------------------

    async def claim_welcome(self, member_id: str, join_count: int, kind: str, at: datetime) -> bool:
        async with self.db.begin() as conn:
            await _insert_state_if_missing(conn, member_id, at)
            claimed = await conn.execute(
                update(state)
                .where(state.c.member_id == member_id, state.c.welcomed_join < join_count)
                .values(welcomed_join=join_count, welcomed_at=at)
            )
            if claimed.rowcount != 1:
                return False
            await conn.execute(insert(queue).values(member_id=member_id, kind=kind, enqueued_at=at))
            return True

    async def queued(self, limit: int) -> list[QueuedWelcome]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(queue).where(queue.c.sent_at.is_(None)).order_by(queue.c.id).limit(limit)
            )
            return [
                QueuedWelcome(r.id, r.member_id, r.kind, r.enqueued_at) for r in rows.fetchall()
            ]

    async def claim_queued(self, item_id: int, at: datetime) -> Lease | None:
        return await self.claims.claim_with(
            WELCOME_CLAIM,
            str(item_id),
            at,
            update(queue)
            .where(queue.c.id == item_id, queue.c.sent_at.is_(None))
            .values(sent_at=at),
        )

    async def queued_item(self, item_id: int) -> QueuedWelcome | None:
        async with self.db.connect() as conn:
            r = (await conn.execute(select(queue).where(queue.c.id == item_id))).one_or_none()
        return None if r is None else QueuedWelcome(r.id, r.member_id, r.kind, r.enqueued_at)

    async def sent_since(self, since: datetime) -> list[datetime]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(queue.c.sent_at).where(queue.c.sent_at > since).order_by(queue.c.sent_at)
            )
            return [r.sent_at for r in rows.fetchall()]

    # -- member state ---------------------------------------------------------------------

    async def state(self, member_id: str) -> OnboardingState | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(state).where(state.c.member_id == member_id))
            ).one_or_none()
        return _as_state(row) if row else None

    async def ensure_state(self, member_id: str, at: datetime) -> None:
        async with self.db.begin() as conn:
            await _insert_state_if_missing(conn, member_id, at)

    async def set_question_pos(self, member_id: str, pos: int | None) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(state).where(state.c.member_id == member_id).values(question_pos=pos)
            )

    async def save_answer(
        self, member_id: str, question_id: str, answer: str | None, at: datetime
    ) -> None:
        async with self.db.begin() as conn:
            changed = await conn.execute(
                update(answers)
                .where(answers.c.member_id == member_id, answers.c.question_id == question_id)
                .values(answer=answer, answered_at=at)
            )
            if changed.rowcount == 0:
                await conn.execute(
                    insert(answers).values(
                        member_id=member_id, question_id=question_id, answer=answer, answered_at=at
                    )
                )

    async def answers(self, member_id: str) -> dict[str, str | None]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(answers.c.question_id, answers.c.answer).where(
                    answers.c.member_id == member_id
                )
            )
            return {r.question_id: r.answer for r in rows.fetchall()}

    async def _claim(self, member_id: str, column: str, at: datetime) -> bool:
        async with self.db.begin() as conn:
            await _insert_state_if_missing(conn, member_id, at)
            result = await conn.execute(
                update(state)
                .where(state.c.member_id == member_id, state.c[column].is_(None))
                .values({column: at})
            )
            return result.rowcount == 1

    async def mark_questions_done(self, member_id: str, at: datetime) -> bool:
        return await self._claim(member_id, "questions_done_at", at)

    async def accept_rules(self, member_id: str, at: datetime) -> bool:
        return await self._claim(member_id, "rules_accepted_at", at)

    async def claim_intro(self, member_id: str, at: datetime) -> bool:
        return await self._claim(member_id, "intro_posted_at", at)

    async def record_activities(self, marks: Sequence[tuple[str, datetime]]) -> None:
        """One transaction for a batch of first-post marks, retried on a locked database: a lost
        mark would send "have you posted yet?" to someone who did."""
        if not marks:
            return

        async def mark_all(conn: AsyncConnection) -> None:
            await conn.execute(
                update(state)
                .where(state.c.member_id == bindparam("b_member"))
                .values(
                    first_post_at=func.coalesce(state.c.first_post_at, bindparam("b_at")),
                    last_seen_at=bindparam("b_at"),
                ),
                [{"b_member": member, "b_at": at} for member, at in marks],
            )

        await self.db.write(mark_all)

    # -- follow-ups -----------------------------------------------------------------------

    async def schedule_followups(self, member_id: str, dues: list[tuple[int, datetime]]) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(followups).where(followups.c.member_id == member_id))
            for index, due in dues:
                await conn.execute(
                    insert(followups).values(
                        member_id=member_id, idx=index, due_at=due, status="pending"
                    )
                )

    async def next_followup_due(self) -> datetime | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.min(followups.c.due_at)).where(followups.c.status == "pending")
                )
            ).scalar_one_or_none()

    async def due_followups(self, now: datetime, limit: int) -> list[DueFollowup]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(followups.c.member_id, followups.c.idx, followups.c.due_at)
                .where(followups.c.status == "pending", followups.c.due_at <= now)
                .order_by(followups.c.due_at, followups.c.member_id, followups.c.idx)
                .limit(limit)
            )
            return [DueFollowup(r.member_id, r.idx, r.due_at) for r in rows.fetchall()]

    async def finish_followup(self, member_id: str, index: int, status: str, at: datetime) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(followups)
                .where(
                    followups.c.member_id == member_id,
                    followups.c.idx == index,
                    followups.c.status == "pending",
                )
                .values(status=status, done_at=at)
            )
            return result.rowcount == 1

    async def reschedule_followup(self, member_id: str, index: int, due: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(followups)
                .where(
                    followups.c.member_id == member_id,
                    followups.c.idx == index,
                    followups.c.status == "pending",
                )
                .values(due_at=due)
            )

    async def cancel_followups(self, member_id: str, at: datetime) -> int:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(followups)
                .where(followups.c.member_id == member_id, followups.c.status == "pending")
                .values(status="cancelled", done_at=at)
            )
            return result.rowcount

    # -- overviews ------------------------------------------------------------------------

    async def _pending(self, column: str) -> list[PendingMember]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(members.c.id, members.c.name, members.c.joined_at)
                .select_from(members.join(state, state.c.member_id == members.c.id))
                .where(
                    members.c.left_at.is_(None),
                    members.c.is_bot.is_(False),
                    state.c.welcomed_join > 0,
                    state.c[column].is_(None),
                )
                .order_by(members.c.joined_at, members.c.id)
            )
            return [PendingMember(r.id, r.name, r.joined_at) for r in rows.fetchall()]

    async def not_accepted(self) -> list[PendingMember]:
        return await self._pending("rules_accepted_at")

    async def not_answered(self) -> list[PendingMember]:
        return await self._pending("questions_done_at")

    async def answer_counts(self, question_id: str) -> dict[str, int]:
        """How often each answer was given by present members (reports: personas, interests)."""
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(answers.c.answer, func.count())
                .select_from(answers.join(members, members.c.id == answers.c.member_id))
                .where(
                    answers.c.question_id == question_id,
                    answers.c.answer.is_not(None),
                    members.c.left_at.is_(None),
                )
                .group_by(answers.c.answer)
            )
            return {r[0]: r[1] for r in rows.fetchall()}

    # -- personal data --------------------------------------------------------------------

    async def export_member(self, member_id: str) -> dict[str, Any]:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(state).where(state.c.member_id == member_id))
            ).one_or_none()
            answer_rows = (
                await conn.execute(select(answers).where(answers.c.member_id == member_id))
            ).fetchall()
            followup_rows = (
                await conn.execute(
                    select(followups)
                    .where(followups.c.member_id == member_id)
                    .order_by(followups.c.idx)
                )
            ).fetchall()
        out: dict[str, Any] = {}
        if row is not None:
            out["state"] = {
                key: (value.isoformat() if isinstance(value, datetime) else value)
                for key, value in row._mapping.items()
            }
        out["answers"] = {
            r.question_id: {"answer": r.answer, "answered_at": r.answered_at.isoformat()}
            for r in answer_rows
        }
        out["followups"] = [
            {"index": r.idx, "due_at": r.due_at.isoformat(), "status": r.status}
            for r in followup_rows
        ]
        return out

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            # the welcome claims go with the queue rows: SQLite hands a deleted row's id out
            # again, and a finished claim on it would hold the next welcome back forever
            ids = select(cast(queue.c.id, String)).where(queue.c.member_id == member_id)
            await conn.execute(
                delete(work_claims).where(
                    work_claims.c.kind == WELCOME_CLAIM, work_claims.c.key.in_(ids)
                )
            )
            for table in (answers, followups, queue):
                await conn.execute(delete(table).where(table.c.member_id == member_id))
            await conn.execute(delete(state).where(state.c.member_id == member_id))


def make_store(db: Database) -> SqlOnboardingStore:
    return SqlOnboardingStore(db)
