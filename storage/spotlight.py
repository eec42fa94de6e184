"""Spotlight runs, preferences, nominations, interview answers, stories and community roles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
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
from sqlalchemy.exc import IntegrityError

from bot.features.api import ArchivedStory
from bot.features.spotlight.ports import (
    Nomination,
    RoleClaim,
    SpotlightRun,
    SpotlightStorage,
)
from storage.db import Database
from storage.report import SqlCommunityFacts
from storage.schema import UtcDateTime, metadata

spotlight_runs = Table(
    "spotlight_runs",
    metadata,
    Column("week", Date, primary_key=True),
    Column("member_id", String(100), nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("interview", String(16), nullable=False),
    Column("chosen_at", UtcDateTime, nullable=False),
    Column("posted_at", UtcDateTime, nullable=True),
    Column("message_ref", String(200), nullable=True),
)

spotlight_answers = Table(
    "spotlight_answers",
    metadata,
    Column("week", Date, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("answer", Text, nullable=False),
    PrimaryKeyConstraint("week", "idx", name="pk_spotlight_answers"),
)

spotlight_prefs = Table(
    "spotlight_prefs",
    metadata,
    Column("member_id", String(100), primary_key=True),
    Column("choice", String(8), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

spotlight_nominations = Table(
    "spotlight_nominations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", String(100), nullable=False, index=True),
    Column("nominated_by", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("used_week", Date, nullable=True),
)

spotlight_claims = Table(
    "spotlight_claims",
    metadata,
    Column("kind", String(20), nullable=False),
    Column("period_key", String(40), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("kind", "period_key", name="pk_spotlight_claims"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("added_by", String(100), nullable=True, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String(12), nullable=False),
    Column("source_ref", String(200), nullable=True, unique=True),
    Column("source_channel", String(100), nullable=True),
    Column("last_shown_at", UtcDateTime, nullable=True),
)

member_roles = Table(
    "member_roles",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("role", String(60), nullable=False),
    Column("status", String(12), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("decided_by", String(100), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("member_id", "role", name="pk_member_roles"),
)


def _run(row: Any) -> SpotlightRun:
    return SpotlightRun(
        week=row.week,
        member_id=row.member_id,
        status=row.status,
        interview=row.interview,
        chosen_at=row.chosen_at,
        posted_at=row.posted_at,
    )


def _story(row: Any) -> ArchivedStory:
    return ArchivedStory(
        id=row.id, title=row.title, text=row.text, added_by=row.added_by, added_at=row.created_at
    )


class SqlSpotlightStore:
    def __init__(self, db: Database, facts: SqlCommunityFacts) -> None:
        self.db = db
        self.facts = facts

    async def claim_week(
        self, week: date, member_id: str | None, status: str, at: datetime, interview: str
    ) -> bool:
        values = dict(
            week=week,
            member_id=member_id,
            status=status,
            interview=interview,
            chosen_at=at,
            posted_at=at if status == "posted" else None,
        )
        try:
            async with self.db.begin() as conn:
                await conn.execute(insert(spotlight_runs).values(**values))
        except IntegrityError:
            return False
        return True

    async def run_for(self, week: date) -> SpotlightRun | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(spotlight_runs).where(spotlight_runs.c.week == week))
            ).one_or_none()
        return _run(row) if row else None

    async def mark_posted(self, week: date, at: datetime, ref: str | None) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.week == week, spotlight_runs.c.status == "chosen")
                .values(status="posted", posted_at=at)
            )
        return result.rowcount == 1

    async def set_message_ref(self, week: date, ref: str | None) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(spotlight_runs).where(spotlight_runs.c.week == week).values(message_ref=ref)
            )

    async def decline(self, week: date, member_id: str) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(spotlight_runs)
                .where(
                    spotlight_runs.c.week == week,
                    spotlight_runs.c.member_id == member_id,
                    spotlight_runs.c.status == "chosen",
                )
                .values(status="declined", interview="declined")
            )
        return result.rowcount == 1

    async def replace_declined(self, week: date, member_id: str | None, at: datetime) -> bool:
        status = "posted" if member_id else "skipped"
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.week == week, spotlight_runs.c.status == "declined")
                .values(member_id=member_id, status=status, posted_at=at, interview="none")
            )
        return result.rowcount == 1

    async def set_interview(self, week: date, status: str) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(spotlight_runs).where(spotlight_runs.c.week == week).values(interview=status)
            )

    async def last_spotlights(self, since: date) -> dict[str, date]:
        query = (
            select(spotlight_runs.c.member_id, func.max(spotlight_runs.c.week))
            .where(
                spotlight_runs.c.week >= since,
                spotlight_runs.c.member_id.is_not(None),
                spotlight_runs.c.status != "skipped",
            )
            .group_by(spotlight_runs.c.member_id)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {member: _as_date(week) for member, week in rows}

    async def recent_runs(self, limit: int) -> list[SpotlightRun]:
        query = (
            select(spotlight_runs)
            .where(spotlight_runs.c.status == "posted")
            .order_by(spotlight_runs.c.week.desc())
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [_run(r) for r in (await conn.execute(query)).all()]

    async def save_answers(self, week: date, answers: list[str]) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(spotlight_answers).where(spotlight_answers.c.week == week))
            for idx, answer in enumerate(answers):
                await conn.execute(
                    insert(spotlight_answers).values(week=week, idx=idx, answer=answer)
                )
            await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.week == week)
                .values(interview="answered")
            )

    async def answers(self, week: date) -> list[str]:
        query = (
            select(spotlight_answers.c.answer)
            .where(spotlight_answers.c.week == week)
            .order_by(spotlight_answers.c.idx)
        )
        async with self.db.connect() as conn:
            return list((await conn.execute(query)).scalars())

    async def set_preference(self, member_id: str, choice: str, at: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                delete(spotlight_prefs).where(spotlight_prefs.c.member_id == member_id)
            )
            await conn.execute(
                insert(spotlight_prefs).values(member_id=member_id, choice=choice, at=at)
            )

    async def preferences(self) -> dict[str, str]:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(spotlight_prefs))).all()
        return {r.member_id: r.choice for r in rows}

    async def add_nomination(
        self, member_id: str, nominated_by: str, reason: str, at: datetime
    ) -> int:
        async with self.db.begin() as conn:
            result = await conn.execute(
                insert(spotlight_nominations).values(
                    member_id=member_id, nominated_by=nominated_by, reason=reason, at=at
                )
            )
        return int(result.inserted_primary_key[0])

    async def open_nominations(self) -> list[Nomination]:
        query = (
            select(spotlight_nominations)
            .where(spotlight_nominations.c.used_week.is_(None))
            .order_by(spotlight_nominations.c.at, spotlight_nominations.c.id)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Nomination(r.id, r.member_id, r.nominated_by, r.reason, r.at) for r in rows]

    async def use_nominations(self, member_id: str, week: date) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(spotlight_nominations)
                .where(
                    spotlight_nominations.c.member_id == member_id,
                    spotlight_nominations.c.used_week.is_(None),
                )
                .values(used_week=week)
            )

    async def claim(self, kind: str, key: str, at: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(spotlight_claims).values(kind=kind, period_key=key, at=at)
                )
        except IntegrityError:
            return False
        return True

    async def has_claim(self, kind: str, key: str) -> bool:
        query = select(spotlight_claims.c.kind).where(
            spotlight_claims.c.kind == kind, spotlight_claims.c.period_key == key
        )
        async with self.db.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def export_member(self, member_id: str) -> dict[str, Any]:
        async with self.db.connect() as conn:
            runs = (
                await conn.execute(
                    select(spotlight_runs.c.week, spotlight_runs.c.status).where(
                        spotlight_runs.c.member_id == member_id
                    )
                )
            ).all()
            answers = []
            for run in runs:
                answers += list(
                    (
                        await conn.execute(
                            select(spotlight_answers.c.answer).where(
                                spotlight_answers.c.week == run.week
                            )
                        )
                    ).scalars()
                )
            pref = (
                await conn.execute(
                    select(spotlight_prefs.c.choice).where(spotlight_prefs.c.member_id == member_id)
                )
            ).scalar_one_or_none()
            given = (
                await conn.execute(
                    select(spotlight_nominations.c.member_id, spotlight_nominations.c.reason).where(
                        spotlight_nominations.c.nominated_by == member_id
                    )
                )
            ).all()
            received = (
                await conn.execute(
                    select(spotlight_nominations.c.reason).where(
                        spotlight_nominations.c.member_id == member_id
                    )
                )
            ).all()
        return {
            "spotlights": [{"week": str(r.week), "status": r.status} for r in runs],
            "interview_answers": answers,
            "preference": pref,
            "nominations_given": [{"member": r.member_id, "reason": r.reason} for r in given],
            "nominations_received": [r.reason for r in received],
        }

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            weeks = list(
                (
                    await conn.execute(
                        select(spotlight_runs.c.week).where(spotlight_runs.c.member_id == member_id)
                    )
                ).scalars()
            )
            if weeks:
                await conn.execute(
                    delete(spotlight_answers).where(spotlight_answers.c.week.in_(weeks))
                )
            # The week stays claimed (exactly-once), without the member.
            await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.member_id == member_id)
                .values(member_id=None)
            )
            await conn.execute(
                delete(spotlight_prefs).where(spotlight_prefs.c.member_id == member_id)
            )
            await conn.execute(
                delete(spotlight_nominations).where(
                    (spotlight_nominations.c.member_id == member_id)
                    | (spotlight_nominations.c.nominated_by == member_id)
                )
            )


class SqlStoryStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_story(
        self,
        *,
        title: str,
        text: str,
        added_by: str | None,
        at: datetime,
        source_ref: str | None = None,
        source_channel: str | None = None,
        status: str = "ready",
    ) -> int:
        async with self.db.begin() as conn:
            result = await conn.execute(
                insert(stories).values(
                    title=title,
                    text=text,
                    added_by=added_by,
                    created_at=at,
                    status=status,
                    source_ref=source_ref,
                    source_channel=source_channel,
                )
            )
        return int(result.inserted_primary_key[0])

    async def complete_story(self, story_id: int, title: str, text: str) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(stories)
                .where(stories.c.id == story_id)
                .values(title=title, text=text, status="ready")
            )
        return result.rowcount == 1

    async def story(self, story_id: int) -> ArchivedStory | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(stories).where(stories.c.id == story_id))
            ).one_or_none()
        return _story(row) if row else None

    async def story_by_source(self, source_ref: str) -> int | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(select(stories.c.id).where(stories.c.source_ref == source_ref))
            ).scalar_one_or_none()

    async def list_stories(self, limit: int) -> list[ArchivedStory]:
        query = (
            select(stories)
            .where(stories.c.status == "ready")
            .order_by(stories.c.created_at.desc(), stories.c.id.desc())
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [_story(r) for r in (await conn.execute(query)).all()]

    async def count_stories(self) -> int:
        async with self.db.connect() as conn:
            return int(
                (
                    await conn.execute(
                        select(func.count()).select_from(stories).where(stories.c.status == "ready")
                    )
                ).scalar_one()
            )

    async def least_recently_shown(self, limit: int) -> list[ArchivedStory]:
        query = (
            select(stories)
            .where(stories.c.status == "ready")
            .order_by(
                stories.c.last_shown_at.is_not(None),
                stories.c.last_shown_at,
                stories.c.id,
            )
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [_story(r) for r in (await conn.execute(query)).all()]

    async def mark_shown(self, story_id: int, at: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(stories).where(stories.c.id == story_id).values(last_shown_at=at)
            )

    async def export_member(self, member_id: str) -> dict[str, Any]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(select(stories).where(stories.c.added_by == member_id))
            ).all()
        return {
            "stories_added": [
                {"title": r.title, "text": r.text, "added_at": r.created_at.isoformat()}
                for r in rows
            ]
        }

    async def erase_member(self, member_id: str) -> None:
        """Stories belong to the community's history: kept, but no longer linked to the member."""
        async with self.db.begin() as conn:
            await conn.execute(
                delete(stories).where(stories.c.added_by == member_id, stories.c.status != "ready")
            )
            await conn.execute(
                update(stories).where(stories.c.added_by == member_id).values(added_by=None)
            )


class SqlRoleStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def request_role(self, member_id: str, role: str, at: datetime) -> str:
        async with self.db.begin() as conn:
            status = (
                await conn.execute(
                    select(member_roles.c.status).where(
                        member_roles.c.member_id == member_id, member_roles.c.role == role
                    )
                )
            ).scalar_one_or_none()
            if status is not None:
                return status
            await conn.execute(
                insert(member_roles).values(
                    member_id=member_id, role=role, status="requested", requested_at=at
                )
            )
        return "requested"

    async def approve_role(self, member_id: str, role: str, by: str, at: datetime) -> bool:
        async with self.db.begin() as conn:
            status = (
                await conn.execute(
                    select(member_roles.c.status).where(
                        member_roles.c.member_id == member_id, member_roles.c.role == role
                    )
                )
            ).scalar_one_or_none()
            if status == "approved":
                return False
            if status is None:
                await conn.execute(
                    insert(member_roles).values(
                        member_id=member_id,
                        role=role,
                        status="approved",
                        requested_at=at,
                        decided_by=by,
                        decided_at=at,
                    )
                )
            else:
                await conn.execute(
                    update(member_roles)
                    .where(member_roles.c.member_id == member_id, member_roles.c.role == role)
                    .values(status="approved", decided_by=by, decided_at=at)
                )
        return True

    async def remove_role(self, member_id: str, role: str) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                delete(member_roles).where(
                    member_roles.c.member_id == member_id, member_roles.c.role == role
                )
            )
        return result.rowcount == 1

    async def roles_of(self, member_id: str) -> list[RoleClaim]:
        return await self._claims(member_roles.c.member_id == member_id)

    async def pending_roles(self) -> list[RoleClaim]:
        return await self._claims(member_roles.c.status == "requested")

    async def approved_roles(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for claim in await self._claims(member_roles.c.status == "approved"):
            out.setdefault(claim.member_id, []).append(claim.role)
        return out

    async def _claims(self, where: Any) -> list[RoleClaim]:
        query = select(member_roles).where(where).order_by(member_roles.c.requested_at)
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [RoleClaim(r.member_id, r.role, r.status, r.requested_at) for r in rows]

    async def export_member(self, member_id: str) -> dict[str, Any]:
        return {
            "community_roles": [
                {"role": c.role, "status": c.status} for c in await self.roles_of(member_id)
            ]
        }

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(member_roles).where(member_roles.c.member_id == member_id))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def make_store(db: Database) -> SpotlightStorage:
    facts = SqlCommunityFacts(db)
    return SpotlightStorage(
        spotlight=SqlSpotlightStore(db, facts),
        stories=SqlStoryStore(db),
        roles=SqlRoleStore(db),
        facts=facts,
    )
