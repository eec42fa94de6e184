"""Events: the events themselves, hosts, RSVPs (with a waiting list), sends claimed once
(reminders, notices, the 'who came?' question) and attendance. Ids and times only."""

from __future__ import annotations

from collections.abc import Sequence
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
    Text,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.events.ports import Counts, Event, EventFigures, NewEvent, Rsvp, RsvpResult
from storage.db import Database
from storage.schema import UtcDateTime, metadata

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("starts_at", UtcDateTime, nullable=False, index=True),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("place", String(200), nullable=False, default=""),
    Column("channel", String(100), nullable=False),
    Column("capacity", Integer, nullable=True),
    Column("cancelled", Boolean, nullable=False, default=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("source_key", String(200), nullable=True, unique=True),
    Column("message_ref", String(100), nullable=True),
    Column("platform_ref", String(100), nullable=True),
)

event_hosts = Table(
    "event_hosts",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", String(100), nullable=False, index=True),
    PrimaryKeyConstraint("event_id", "member_id", name="pk_event_hosts"),
)

event_rsvps = Table(
    "event_rsvps",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", String(100), nullable=False, index=True),
    Column("answer", String(10), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("event_id", "member_id", name="pk_event_rsvps"),
)

INTEREST = "interest:"
"""event_sends keys that mark a member going through the platform's interest (not a send)."""
KEY_MAX = 80

event_sends = Table(
    "event_sends",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(80), nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("event_id", "key", name="pk_event_sends"),
)

event_attendance = Table(
    "event_attendance",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", String(100), nullable=False, index=True),
    Column("recorded_by", String(100), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("event_id", "member_id", name="pk_event_attendance"),
)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class SqlEventStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, new: NewEvent, at: datetime) -> Event | None:
        try:
            async with self.db.begin() as conn:
                event_id = (
                    await conn.execute(
                        insert(events)
                        .values(
                            title=new.title,
                            description=new.description,
                            starts_at=new.starts_at,
                            ends_at=new.ends_at,
                            place=new.place,
                            channel=new.channel,
                            capacity=new.limit,
                            cancelled=False,
                            created_by=new.created_by,
                            created_at=at,
                            source_key=new.source_key,
                        )
                        .returning(events.c.id)
                    )
                ).scalar_one()
                if new.hosts:
                    await conn.execute(
                        insert(event_hosts),
                        [{"event_id": event_id, "member_id": h} for h in dict.fromkeys(new.hosts)],
                    )
        except IntegrityError:
            return None
        return await self.get(event_id)

    async def _load(self, conn: AsyncConnection, rows: Sequence[Any]) -> list[Event]:
        ids = [r.id for r in rows]
        hosts: dict[int, list[str]] = {i: [] for i in ids}
        if ids:
            for h in await conn.execute(
                select(event_hosts).where(event_hosts.c.event_id.in_(ids)).order_by("member_id")
            ):
                hosts[h.event_id].append(h.member_id)
        return [
            Event(
                id=r.id,
                title=r.title,
                description=r.description,
                starts_at=_aware(r.starts_at),
                ends_at=_aware(r.ends_at),
                place=r.place,
                channel=r.channel,
                limit=r.capacity,
                cancelled=bool(r.cancelled),
                created_by=r.created_by,
                created_at=_aware(r.created_at),
                hosts=tuple(hosts[r.id]),
                message_ref=r.message_ref,
                platform_ref=r.platform_ref,
            )
            for r in rows
        ]

    async def get(self, event_id: int) -> Event | None:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(events).where(events.c.id == event_id))).all()
            found = await self._load(conn, rows)
        return found[0] if found else None

    async def by_platform_ref(self, platform_ref: str) -> Event | None:
        return await self._one(events.c.platform_ref == platform_ref)

    async def by_source(self, source_key: str) -> Event | None:
        return await self._one(events.c.source_key == source_key)

    async def _one(self, where: Any) -> Event | None:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(events).where(where).limit(1))).all()
            found = await self._load(conn, rows)
        return found[0] if found else None

    async def upcoming(self, after: datetime, limit: int = 100) -> list[Event]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(events)
                    .where(events.c.cancelled.is_(False), events.c.ends_at > after)
                    .order_by(events.c.starts_at, events.c.id)
                    .limit(limit)
                )
            ).all()
            return await self._load(conn, rows)

    async def set_refs(
        self, event_id: int, message_ref: str | None, platform_ref: str | None
    ) -> None:
        values = {
            k: v
            for k, v in (("message_ref", message_ref), ("platform_ref", platform_ref))
            if v is not None
        }
        if not values:
            return
        async with self.db.begin() as conn:
            await conn.execute(update(events).where(events.c.id == event_id).values(**values))

    async def rsvp(self, event_id: int, member_id: str, answer: Rsvp, at: datetime) -> RsvpResult:
        async with self.db.begin() as conn:
            # lock the event row (PostgreSQL) so two last-place answers cannot both get it
            capacity = (
                await conn.execute(
                    select(events.c.capacity).where(events.c.id == event_id).with_for_update()
                )
            ).scalar_one()
            r = event_rsvps.c
            before = await conn.scalar(
                select(r.answer).where(r.event_id == event_id, r.member_id == member_id)
            )
            status = answer
            if answer is Rsvp.GOING and before not in (Rsvp.GOING, Rsvp.WAITING):
                going = await conn.scalar(
                    select(func.count()).where(r.event_id == event_id, r.answer == Rsvp.GOING)
                )
                if capacity is not None and int(going or 0) >= capacity:
                    status = Rsvp.WAITING
            elif answer is Rsvp.GOING:
                status = Rsvp(str(before))  # already going or waiting: keep the place in line
            if before is None:
                await conn.execute(
                    insert(event_rsvps).values(
                        event_id=event_id, member_id=member_id, answer=status, at=at
                    )
                )
            elif before != status:
                await conn.execute(
                    update(event_rsvps)
                    .where(r.event_id == event_id, r.member_id == member_id)
                    .values(answer=status, at=at)
                )
            promoted = None
            if before == Rsvp.GOING and status is not Rsvp.GOING and capacity is not None:
                promoted = await conn.scalar(
                    select(r.member_id)
                    .where(r.event_id == event_id, r.answer == Rsvp.WAITING)
                    .order_by(r.at, r.member_id)
                    .limit(1)
                )
                if promoted is not None:
                    await conn.execute(
                        update(event_rsvps)
                        .where(r.event_id == event_id, r.member_id == promoted)
                        .values(answer=Rsvp.GOING)
                    )
            counts = await self._counts(conn, event_id)
        return RsvpResult(status, counts, promoted)

    async def _counts(self, conn: AsyncConnection, event_id: int) -> Counts:
        r = event_rsvps.c
        rows = await conn.execute(
            select(r.answer, func.count()).where(r.event_id == event_id).group_by(r.answer)
        )
        by = {answer: int(n) for answer, n in rows}
        return Counts(
            going=by.get(Rsvp.GOING, 0),
            maybe=by.get(Rsvp.MAYBE, 0),
            not_going=by.get(Rsvp.NOT_GOING, 0),
            waiting=by.get(Rsvp.WAITING, 0),
        )

    async def counts(self, event_id: int) -> Counts:
        async with self.db.connect() as conn:
            return await self._counts(conn, event_id)

    async def members(self, event_id: int, *answers: Rsvp) -> list[str]:
        r = event_rsvps.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(r.member_id)
                .where(r.event_id == event_id, r.answer.in_([str(a) for a in answers]))
                .order_by(r.at, r.member_id)
            )
            return [row.member_id for row in rows]

    async def claim_send(self, event_id: int, key: str, at: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(event_sends).values(event_id=event_id, key=key[:80], sent_at=at)
                )
        except IntegrityError:
            return False
        return True

    async def sent(self, event_ids: list[int]) -> set[tuple[int, str]]:
        if not event_ids:
            return set()
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(event_sends.c.event_id, event_sends.c.key).where(
                    event_sends.c.event_id.in_(event_ids)
                )
            )
            return {(r.event_id, r.key) for r in rows}

    async def mark_interest(
        self, event_id: int, member_id: str, interested: bool, at: datetime
    ) -> None:
        """Kept as an `interest:<member>` row of event_sends (a unique (event, key) mark, like a
        send): who is going *because* of the platform's interest, so a re-read after downtime
        can tell interest taken back from a 'going' given with the buttons."""
        key = INTEREST + member_id
        if len(key) > KEY_MAX:
            return
        try:
            async with self.db.begin() as conn:
                if interested:
                    await conn.execute(
                        insert(event_sends).values(event_id=event_id, key=key, sent_at=at)
                    )
                else:
                    await conn.execute(
                        delete(event_sends).where(
                            event_sends.c.event_id == event_id, event_sends.c.key == key
                        )
                    )
        except IntegrityError:
            pass  # already marked

    async def interest_marks(self, event_id: int) -> set[str]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(event_sends.c.key).where(
                    event_sends.c.event_id == event_id, event_sends.c.key.startswith(INTEREST)
                )
            )
            return {key.removeprefix(INTEREST) for key in rows.scalars()}

    async def cancel(self, event_id: int) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(events)
                .where(events.c.id == event_id, events.c.cancelled.is_(False))
                .values(cancelled=True)
            )
        return result.rowcount == 1

    async def move(self, event_id: int, starts_at: datetime, ends_at: datetime) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(events)
                .where(events.c.id == event_id, events.c.cancelled.is_(False))
                .values(starts_at=starts_at, ends_at=ends_at)
            )
        return result.rowcount == 1

    async def record_attendance(self, event_id: int, member_id: str, by: str, at: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(event_attendance).values(
                        event_id=event_id, member_id=member_id, recorded_by=by, at=at
                    )
                )
        except IntegrityError:
            return False
        return True

    async def figures(self, start: datetime, end: datetime) -> EventFigures:
        e = events.c
        async with self.db.connect() as conn:
            ids = [
                r.id
                for r in await conn.execute(
                    select(e.id).where(
                        e.cancelled.is_(False), e.starts_at >= start, e.starts_at < end
                    )
                )
            ]
            going = attended = 0
            if ids:
                going = int(
                    await conn.scalar(
                        select(func.count()).where(
                            event_rsvps.c.event_id.in_(ids), event_rsvps.c.answer == Rsvp.GOING
                        )
                    )
                    or 0
                )
                attended = int(
                    await conn.scalar(
                        select(func.count()).where(event_attendance.c.event_id.in_(ids))
                    )
                    or 0
                )
        return EventFigures(len(ids), going, attended)

    async def export_member(self, member_id: str) -> dict[str, Any]:
        async with self.db.connect() as conn:
            answers = [
                {"event": r.title, "starts": _aware(r.starts_at).isoformat(), "answer": r.answer}
                for r in await conn.execute(
                    select(events.c.title, events.c.starts_at, event_rsvps.c.answer)
                    .join(events, events.c.id == event_rsvps.c.event_id)
                    .where(event_rsvps.c.member_id == member_id)
                    .order_by(events.c.starts_at)
                )
            ]
            came = [
                {"event": r.title, "starts": _aware(r.starts_at).isoformat()}
                for r in await conn.execute(
                    select(events.c.title, events.c.starts_at)
                    .join(event_attendance, events.c.id == event_attendance.c.event_id)
                    .where(event_attendance.c.member_id == member_id)
                    .order_by(events.c.starts_at)
                )
            ]
            hosted = [
                {"event": r.title, "starts": _aware(r.starts_at).isoformat()}
                for r in await conn.execute(
                    select(events.c.title, events.c.starts_at)
                    .join(event_hosts, events.c.id == event_hosts.c.event_id)
                    .where(event_hosts.c.member_id == member_id)
                    .order_by(events.c.starts_at)
                )
            ]
        return {"rsvps": answers, "attended": came, "hosted": hosted}

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            for table in (event_rsvps, event_attendance, event_hosts):
                await conn.execute(delete(table).where(table.c.member_id == member_id))
            await conn.execute(delete(event_sends).where(event_sends.c.key == INTEREST + member_id))


def make_store(db: Database) -> SqlEventStore:
    return SqlEventStore(db)
