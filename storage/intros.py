"""Introductions: who opted in, rounds (unique on their time, claimed once), groups, answers.

Only ids and timestamps. The reason shown to a pair is worked out from the welcome answers when
the introduction is sent; nothing beyond those answers is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.intros.pairing import Group
from bot.features.intros.ports import GroupRow, IntroFigures, OptedIn, Optin
from storage.db import Database
from storage.members import members
from storage.schema import UtcDateTime, conflict_insert, metadata

optins = Table(
    "intros_members",
    metadata,
    Column("member_id", String(100), primary_key=True),
    Column("opted_in", Boolean, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("skip_next", Boolean, nullable=False, default=False),
    Column("trios", Integer, nullable=False, default=0),
)

rounds = Table(
    "intros_rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scheduled_at", UtcDateTime, nullable=False, unique=True),
    Column("seed", Integer, nullable=False),
    Column("made_at", UtcDateTime, nullable=False),
)

groups = Table(
    "intros_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("intros_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("followup_due", UtcDateTime, nullable=False, index=True),
    Column("followup_sent_at", UtcDateTime, nullable=True),
)

group_members = Table(
    "intros_group_members",
    metadata,
    Column("group_id", Integer, ForeignKey("intros_groups.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", String(100), nullable=False, index=True),
    Column("third", Boolean, nullable=False, default=False),
    Column("met", Boolean, nullable=True),
    Column("answered_at", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("group_id", "member_id", name="pk_intros_group_members"),
)


class SqlIntrosStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- opting in --------------------------------------------------------------------------

    async def _set(self, member_id: str, at: datetime, **values: Any) -> None:
        async with self.db.begin() as conn:
            changed = await conn.execute(
                update(optins).where(optins.c.member_id == member_id).values(**values)
            )
            if changed.rowcount == 0:
                row = {"opted_in": False, "skip_next": False, "trios": 0, **values}
                await conn.execute(insert(optins).values(member_id=member_id, **row))

    async def join(self, member_id: str, at: datetime) -> bool:
        before = await self.optin(member_id)
        if before is not None and before.opted_in:
            return False
        await self._set(member_id, at, opted_in=True, changed_at=at, skip_next=False)
        return True

    async def leave(self, member_id: str, at: datetime) -> bool:
        before = await self.optin(member_id)
        if before is None or not before.opted_in:
            return False
        await self._set(member_id, at, opted_in=False, changed_at=at, skip_next=False)
        return True

    async def skip(self, member_id: str, at: datetime) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(optins)
                .where(optins.c.member_id == member_id, optins.c.opted_in.is_(True))
                .values(skip_next=True)
            )
        return result.rowcount == 1

    async def optin(self, member_id: str) -> Optin | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(optins).where(optins.c.member_id == member_id))
            ).one_or_none()
            if row is None:
                return None
            count = await conn.scalar(
                select(func.count()).where(group_members.c.member_id == member_id)
            )
        return Optin(member_id, bool(row.opted_in), bool(row.skip_next), int(count or 0))

    async def opted_in(self) -> list[OptedIn]:
        o, m = optins.c, members.c
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(o.member_id, o.trios, o.skip_next, o.changed_at, m.first_joined_at)
                    .join(members, members.c.id == o.member_id)
                    .where(o.opted_in.is_(True), m.left_at.is_(None), m.is_bot.is_(False))
                    .order_by(o.member_id)
                )
            ).all()
        return [
            OptedIn(
                member_id=r.member_id,
                first_joined_at=_aware(r.first_joined_at),
                opted_at=_aware(r.changed_at),
                trios=int(r.trios),
                skip_next=bool(r.skip_next),
            )
            for r in rows
        ]

    # ---- rounds -----------------------------------------------------------------------------

    async def last_met(self) -> dict[tuple[str, str], datetime]:
        a, b = group_members.alias("a"), group_members.alias("b")
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(a.c.member_id, b.c.member_id.label("other"), func.max(rounds.c.scheduled_at))
                .select_from(a)
                .join(b, and_(a.c.group_id == b.c.group_id, a.c.member_id < b.c.member_id))
                .join(groups, groups.c.id == a.c.group_id)
                .join(rounds, rounds.c.id == groups.c.round_id)
                .group_by(a.c.member_id, b.c.member_id)
            )
            return {(r[0], r[1]): _aware(r[2]) for r in rows}

    async def create_round(
        self,
        scheduled_at: datetime,
        seed: int,
        groups_made: Sequence[Group],
        skipped: Sequence[str],
        *,
        now: datetime,
        followup_due: datetime,
    ) -> bool:
        try:
            async with self.db.begin() as conn:
                round_id = (
                    await conn.execute(
                        insert(rounds)
                        .values(scheduled_at=scheduled_at, seed=seed, made_at=now)
                        .returning(rounds.c.id)
                    )
                ).scalar_one()
                for position, group in enumerate(groups_made):
                    group_id = (
                        await conn.execute(
                            insert(groups)
                            .values(round_id=round_id, position=position, followup_due=followup_due)
                            .returning(groups.c.id)
                        )
                    ).scalar_one()
                    await conn.execute(
                        insert(group_members),
                        [
                            {"group_id": group_id, "member_id": m, "third": m == group.third}
                            for m in group.members
                        ],
                    )
                    if group.third is not None:
                        await conn.execute(
                            update(optins)
                            .where(optins.c.member_id == group.third)
                            .values(trios=optins.c.trios + 1)
                        )
                for chunk in _chunks(list(skipped)):
                    await conn.execute(
                        update(optins).where(optins.c.member_id.in_(chunk)).values(skip_next=False)
                    )
        except IntegrityError:
            return False
        return True

    async def round_exists(self, scheduled_at: datetime) -> bool:
        async with self.db.connect() as conn:
            found = await conn.scalar(
                select(rounds.c.id).where(rounds.c.scheduled_at == scheduled_at)
            )
        return found is not None

    async def _groups(self, *where: Any, limit: int | None = None) -> list[GroupRow]:
        async with self.db.connect() as conn:
            query = (
                select(groups, rounds.c.scheduled_at)
                .join(rounds, rounds.c.id == groups.c.round_id)
                .where(*where)
                .order_by(groups.c.id)
            )
            rows = (await conn.execute(query.limit(limit) if limit else query)).all()
            ids = [r.id for r in rows]
            people: dict[int, list[str]] = {i: [] for i in ids}
            for chunk in _chunks(ids):
                for gm in await conn.execute(
                    select(group_members.c.group_id, group_members.c.member_id)
                    .where(group_members.c.group_id.in_(chunk))
                    .order_by(group_members.c.third, group_members.c.member_id)
                ):
                    people[gm.group_id].append(gm.member_id)
        return [
            GroupRow(
                id=r.id,
                round_at=_aware(r.scheduled_at),
                members=tuple(people[r.id]),
                sent_at=r.sent_at,
                followup_due=_aware(r.followup_due),
            )
            for r in rows
        ]

    async def unsent(self) -> list[GroupRow]:
        return await self._groups(groups.c.sent_at.is_(None))

    async def claim_send(self, group_id: int, now: datetime) -> bool:
        return await self._claim(groups.c.sent_at, group_id, now)

    async def _claim(self, column: Any, group_id: int, now: datetime) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(groups)
                .where(groups.c.id == group_id, column.is_(None))
                .values({column.name: now})
            )
        return result.rowcount == 1

    async def next_followup_due(self) -> datetime | None:
        async with self.db.connect() as conn:
            due = await conn.scalar(
                select(func.min(groups.c.followup_due)).where(
                    groups.c.followup_sent_at.is_(None), groups.c.sent_at.is_not(None)
                )
            )
        return _aware(due) if due is not None else None

    async def due_followups(self, now: datetime, limit: int) -> list[GroupRow]:
        return await self._groups(
            groups.c.followup_sent_at.is_(None),
            groups.c.sent_at.is_not(None),
            groups.c.followup_due <= now,
            limit=limit,
        )

    async def claim_followup(self, group_id: int, now: datetime) -> bool:
        return await self._claim(groups.c.followup_sent_at, group_id, now)

    async def record_met(
        self, group_id: int, member_id: str, met: bool, at: datetime, week: date | None = None
    ) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(group_members)
                .where(group_members.c.group_id == group_id, group_members.c.member_id == member_id)
                .values(met=met, answered_at=at)
            )
            if result.rowcount == 1 and met and week is not None:
                await _count_as_connected(conn, group_id, week)
        return result.rowcount == 1

    async def figures(self, since: datetime, until: datetime) -> IntroFigures:
        gm = group_members.c
        async with self.db.connect() as conn:
            made = await conn.scalar(
                select(func.count())
                .select_from(groups)
                .join(rounds, rounds.c.id == groups.c.round_id)
                .where(
                    rounds.c.scheduled_at >= since,
                    rounds.c.scheduled_at < until,
                    groups.c.sent_at.is_not(None),
                )
            )
            # a group counts as answered in the period of its first answer
            rows = (
                await conn.execute(
                    select(gm.group_id, func.min(gm.answered_at), func.sum(_as_int(gm.met)))
                    .where(gm.answered_at.is_not(None))
                    .group_by(gm.group_id)
                )
            ).all()
        inside = [r for r in rows if since <= _aware(r[1]) < until]
        return IntroFigures(
            groups=int(made or 0),
            answered=len(inside),
            met=sum(1 for r in inside if r[2]),
        )

    # ---- personal data ----------------------------------------------------------------------

    async def export_member(self, member_id: str) -> dict[str, Any]:
        found = await self.optin(member_id)
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(rounds.c.scheduled_at, group_members.c.met, group_members.c.answered_at)
                .join(groups, groups.c.id == group_members.c.group_id)
                .join(rounds, rounds.c.id == groups.c.round_id)
                .where(group_members.c.member_id == member_id)
                .order_by(rounds.c.scheduled_at)
            )
            met = [{"round": _aware(r.scheduled_at).isoformat(), "met": r.met} for r in rows]
        return {
            "opted_in": bool(found and found.opted_in),
            "skip_next": bool(found and found.skip_next),
            "introductions": met,
        }

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(group_members).where(group_members.c.member_id == member_id))
            await conn.execute(delete(optins).where(optins.c.member_id == member_id))


async def _count_as_connected(conn: AsyncConnection, group_id: int, week: date) -> None:
    """'Yes, we met' is a two-way connection for everyone in the group that week: a row in the
    health feature's `health_connected` (when this Plein has it), in the answer's transaction."""
    connected = metadata.tables.get("health_connected")
    if connected is None:
        return
    people = await conn.execute(
        select(group_members.c.member_id).where(group_members.c.group_id == group_id)
    )
    rows = [{"week": week, "member_id": m} for m in people.scalars()]
    await conn.execute(conflict_insert(conn.dialect.name)(connected).on_conflict_do_nothing(), rows)


def _as_int(column: Any) -> Any:
    return case((column.is_(True), 1), else_=0)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _chunks(items: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def make_store(db: Database) -> SqlIntrosStore:
    return SqlIntrosStore(db)
