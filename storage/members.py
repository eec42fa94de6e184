"""Members as the platform knows them: ids, names, join/leave times. Never message text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, Integer, String, Table, func, insert, select, update

from bot.members import JoinRecord, MemberInfo
from storage.db import Database
from storage.schema import UtcDateTime, metadata

members = Table(
    "members",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("is_bot", Boolean, nullable=False, default=False),
    Column("first_joined_at", UtcDateTime, nullable=False),
    Column("joined_at", UtcDateTime, nullable=False),
    Column("left_at", UtcDateTime, nullable=True),
    Column("join_count", Integer, nullable=False, default=1),
)


def _info(row: object) -> MemberInfo:
    return MemberInfo(
        id=row.id,
        name=row.name,
        is_bot=row.is_bot,
        first_joined_at=row.first_joined_at,
        joined_at=row.joined_at,
        left_at=row.left_at,
        join_count=row.join_count,
    )


class SqlMemberStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_join(
        self, member_id: str, name: str, is_bot: bool, at: datetime
    ) -> JoinRecord:
        """Insert or re-open the member row in one transaction; say whether this is a rejoin."""
        async with self.db.begin() as conn:
            row = (
                await conn.execute(select(members).where(members.c.id == member_id))
            ).one_or_none()
            if row is None:
                await conn.execute(
                    insert(members).values(
                        id=member_id,
                        name=name,
                        is_bot=is_bot,
                        first_joined_at=at,
                        joined_at=at,
                        left_at=None,
                        join_count=1,
                    )
                )
                return JoinRecord(first_time=True, already_present=False, join_count=1)
            if row.left_at is None:
                if row.name != name:
                    await conn.execute(
                        update(members).where(members.c.id == member_id).values(name=name)
                    )
                return JoinRecord(first_time=False, already_present=True, join_count=row.join_count)
            await conn.execute(
                update(members)
                .where(members.c.id == member_id)
                .values(name=name, joined_at=at, left_at=None, join_count=row.join_count + 1)
            )
            return JoinRecord(
                first_time=False, already_present=False, join_count=row.join_count + 1
            )

    async def record_leave(self, member_id: str, at: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(members)
                .where(members.c.id == member_id, members.c.left_at.is_(None))
                .values(left_at=at)
            )

    async def ensure(self, member_id: str, name: str, is_bot: bool, at: datetime) -> None:
        """Make sure a member seen posting (but never seen joining) has a row."""
        async with self.db.begin() as conn:
            exists = (
                await conn.execute(select(members.c.id).where(members.c.id == member_id))
            ).first()
            if exists is None:
                await conn.execute(
                    insert(members).values(
                        id=member_id,
                        name=name,
                        is_bot=is_bot,
                        first_joined_at=at,
                        joined_at=at,
                        join_count=1,
                    )
                )

    async def get(self, member_id: str) -> MemberInfo | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(members).where(members.c.id == member_id))
            ).one_or_none()
        return _info(row) if row else None

    async def find_by_name(self, name: str) -> MemberInfo | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(
                    select(members)
                    .where(func.lower(members.c.name) == name.lower())
                    .order_by(members.c.left_at.is_not(None))
                )
            ).first()
        return _info(row) if row else None

    async def count_present(self) -> int:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.count())
                    .select_from(members)
                    .where(members.c.left_at.is_(None), members.c.is_bot.is_(False))
                )
            ).scalar_one()
