"""Calendar tables: occurrences (claimed before posting), reply links, hosted items, RSVPs, pause.

Only ids, refs and timestamps: never the text of a member's reply.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.features.calendar.ports import IN_USE, Occurrence, Status, Usage
from storage.calendar_posting import PostClaims, occurrences
from storage.claims import Claims
from storage.db import Database
from storage.schema import UtcDateTime, metadata

replies = Table(
    "calendar_replies",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "occurrence_id",
        Integer,
        ForeignKey("calendar_occurrences.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("member_id", String(100), nullable=False, index=True),
    Column("message_ref", String(100), nullable=False, unique=True),
    Column("at", UtcDateTime, nullable=False),
)

hosted = Table(
    "calendar_hosted",
    metadata,
    Column(
        "occurrence_id",
        Integer,
        ForeignKey("calendar_occurrences.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("member_id", String(100), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("occurrence_id", "member_id", name="pk_calendar_hosted"),
)

rsvps = Table(
    "calendar_rsvps",
    metadata,
    Column(
        "occurrence_id",
        Integer,
        ForeignKey("calendar_occurrences.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("member_id", String(100), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("occurrence_id", "member_id", name="pk_calendar_rsvps"),
)

control = Table(
    "calendar_control",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("paused", Boolean, nullable=False),
    Column("changed_by", String(100), nullable=True),
    Column("changed_at", UtcDateTime, nullable=False),
)


def _occurrence(row: Any) -> Occurrence:
    return Occurrence(
        id=row.id,
        slot_key=row.slot_key,
        scheduled_at=row.scheduled_at,
        status=Status(row.status),
        theme=row.theme,
        prompt_key=row.prompt_key,
        prompt_type=row.prompt_type,
        channel=row.channel,
        message_ref=row.message_ref,
        thread_ref=row.thread_ref,
        reminded_at=row.reminded_at,
        posted_at=row.posted_at,
        note=row.note,
    )


class SqlCalendarStore(PostClaims):
    def __init__(self, db: Database) -> None:
        self.db = db
        self.claims = Claims(db)

    # ---- occurrences ------------------------------------------------------------------------

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
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(occurrences).values(
                        slot_key=slot_key,
                        scheduled_at=scheduled_at,
                        status=str(status),
                        theme=theme,
                        prompt_key=prompt_key,
                        prompt_type=prompt_type,
                        channel=channel,
                        planned_at=now,
                        note=note,
                    )
                )
            created = True
        except IntegrityError:
            created = False
        found = await self.get(slot_key, scheduled_at)
        assert found is not None
        return found, created

    async def get(self, slot_key: str, scheduled_at: datetime) -> Occurrence | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    select(occurrences).where(
                        occurrences.c.slot_key == slot_key,
                        occurrences.c.scheduled_at == scheduled_at,
                    )
                )
            ).one_or_none()
        return _occurrence(row) if row else None

    async def by_id(self, occurrence_id: int) -> Occurrence | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(occurrences).where(occurrences.c.id == occurrence_id))
            ).one_or_none()
        return _occurrence(row) if row else None

    async def between(self, start: datetime, end: datetime) -> list[Occurrence]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(occurrences)
                .where(occurrences.c.scheduled_at > start, occurrences.c.scheduled_at <= end)
                .order_by(occurrences.c.scheduled_at, occurrences.c.id)
            )
            return [_occurrence(r) for r in rows]

    async def claim_reminder(self, occurrence_id: int, now: datetime) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(occurrences)
                .where(occurrences.c.id == occurrence_id, occurrences.c.reminded_at.is_(None))
                .values(reminded_at=now)
            )
        return result.rowcount == 1

    async def skip_planned(self, occurrence_id: int, note: str) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(occurrences)
                .where(
                    occurrences.c.id == occurrence_id,
                    occurrences.c.status == str(Status.PLANNED),
                )
                .values(status=str(Status.SKIPPED), note=note)
            )
        return result.rowcount == 1

    async def last_scheduled(self, slot_key: str) -> datetime | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.max(occurrences.c.scheduled_at)).where(
                        occurrences.c.slot_key == slot_key
                    )
                )
            ).scalar_one_or_none()

    async def usage(self) -> Usage:
        in_use = occurrences.c.status.in_([str(s) for s in IN_USE])
        last = func.max(occurrences.c.scheduled_at).label("last")
        async with self.db.connect() as conn:
            prompt_rows = await conn.execute(
                select(occurrences.c.theme, occurrences.c.prompt_key, last)
                .where(in_use, occurrences.c.prompt_key.is_not(None))
                .group_by(occurrences.c.theme, occurrences.c.prompt_key)
            )
            prompts = {(r.theme, r.prompt_key): _utc(r.last) for r in prompt_rows}
            slot_rows = await conn.execute(
                select(occurrences.c.slot_key, occurrences.c.theme, last)
                .where(in_use, occurrences.c.theme.is_not(None))
                .group_by(occurrences.c.slot_key, occurrences.c.theme)
            )
            slot_themes = {(r.slot_key, r.theme): _utc(r.last) for r in slot_rows}
        return Usage(prompts, slot_themes)

    async def prompt_refs(self, since: datetime) -> dict[str, tuple[int, str]]:
        columns = (
            occurrences.c.id,
            occurrences.c.theme,
            occurrences.c.message_ref,
            occurrences.c.thread_ref,
        )
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(*columns).where(
                    occurrences.c.status == str(Status.POSTED),
                    occurrences.c.posted_at >= since,
                )
            )
            refs: dict[str, tuple[int, str]] = {}
            for row in rows:
                for ref in (row.message_ref, row.thread_ref):
                    if ref:
                        refs[ref] = (row.id, row.theme or "")
        return refs

    # ---- members' part ----------------------------------------------------------------------

    async def link_reply(
        self, occurrence_id: int, member_id: str, message_ref: str, at: datetime
    ) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(replies).values(
                        occurrence_id=occurrence_id,
                        member_id=member_id,
                        message_ref=message_ref,
                        at=at,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def record_hosted(self, occurrence_id: int, member_id: str, at: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(hosted).values(occurrence_id=occurrence_id, member_id=member_id, at=at)
                )
        except IntegrityError:
            return False
        return True

    async def add_rsvp(self, occurrence_id: int, member_id: str, at: datetime) -> tuple[bool, int]:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(rsvps).values(occurrence_id=occurrence_id, member_id=member_id, at=at)
                )
            added = True
        except IntegrityError:
            added = False
        async with self.db.connect() as conn:
            count = (
                await conn.execute(
                    select(func.count())
                    .select_from(rsvps)
                    .where(rsvps.c.occurrence_id == occurrence_id)
                )
            ).scalar_one()
        return added, count

    async def reply_count(self, occurrence_id: int) -> int:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.count())
                    .select_from(replies)
                    .where(replies.c.occurrence_id == occurrence_id)
                )
            ).scalar_one()

    # ---- pause ------------------------------------------------------------------------------

    async def is_paused(self) -> bool:
        async with self.db.connect() as conn:
            value = (
                await conn.execute(select(control.c.paused).where(control.c.id == 1))
            ).scalar_one_or_none()
        return bool(value)

    async def set_paused(self, paused: bool, by: str, at: datetime) -> bool:
        async with self.db.begin() as conn:
            current = (
                await conn.execute(select(control.c.paused).where(control.c.id == 1))
            ).one_or_none()
            if current is None:
                await conn.execute(
                    insert(control).values(id=1, paused=paused, changed_by=by, changed_at=at)
                )
                return paused
            if bool(current.paused) == paused:
                return False
            await conn.execute(
                update(control)
                .where(control.c.id == 1)
                .values(paused=paused, changed_by=by, changed_at=at)
            )
        return True

    # ---- personal data ----------------------------------------------------------------------

    async def export_member(self, member_id: str) -> dict[str, Any]:
        async with self.db.connect() as conn:
            reply_rows = await conn.execute(
                select(replies.c.message_ref, replies.c.at, occurrences.c.theme)
                .join(occurrences, occurrences.c.id == replies.c.occurrence_id)
                .where(replies.c.member_id == member_id)
                .order_by(replies.c.at)
            )
            answered = [
                {"message": r.message_ref, "theme": r.theme, "at": _utc(r.at).isoformat()}
                for r in reply_rows
            ]
            rsvp_rows = await conn.execute(
                select(rsvps.c.at, occurrences.c.theme, occurrences.c.scheduled_at)
                .join(occurrences, occurrences.c.id == rsvps.c.occurrence_id)
                .where(rsvps.c.member_id == member_id)
                .order_by(rsvps.c.at)
            )
            coming = [
                {
                    "theme": r.theme,
                    "post": _utc(r.scheduled_at).isoformat(),
                    "at": _utc(r.at).isoformat(),
                }
                for r in rsvp_rows
            ]
            hosted_rows = await conn.execute(
                select(hosted.c.at, occurrences.c.theme)
                .join(occurrences, occurrences.c.id == hosted.c.occurrence_id)
                .where(hosted.c.member_id == member_id)
                .order_by(hosted.c.at)
            )
            hosting = [{"theme": r.theme, "at": _utc(r.at).isoformat()} for r in hosted_rows]
        return {"prompt_replies": answered, "event_rsvps": coming, "hosted_items": hosting}

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            for table in (replies, rsvps, hosted):
                await conn.execute(delete(table).where(table.c.member_id == member_id))
            await conn.execute(
                update(control).where(control.c.changed_by == member_id).values(changed_by=None)
            )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def make_store(db: Database) -> SqlCalendarStore:
    return SqlCalendarStore(db)
