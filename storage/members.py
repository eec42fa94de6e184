"""Members as the platform knows them: ids, names, join/leave times. Never message text.

An erased member leaves no row behind, only a tombstone: a salted hash of their id (the salt is
random per database), so a replayed join is recognised without storing who it was.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    Row,
    String,
    Table,
    delete,
    false,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

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
    Column("left_at", UtcDateTime, nullable=True, index=True),
    Column("join_count", Integer, nullable=False, default=1),
    # Found by the first member sync: here before Plein, never welcomed, never counted as new.
    Column("before_plein", Boolean, nullable=False, default=False, server_default=false()),
    # False when first_joined_at is the sync time because the platform did not say.
    Column("join_time_known", Boolean, nullable=False, default=True, server_default=true()),
    # The newest member sync (member_syncs.seq) that listed this member; see storage/member_sync.py.
    Column("seen_in_sync", Integer, nullable=True),
)
Index("ix_members_first_joined_at", members.c.first_joined_at)  # the report's newcomers
Index(  # the report finds the few bots through it (storage/week_people_queries.py)
    "ix_members_bots",
    members.c.id,
    sqlite_where=members.c.is_bot == true(),
    postgresql_where=members.c.is_bot == true(),
)

privacy_settings = Table(
    "privacy_settings",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", String(200), nullable=False),
)

member_tombstones = Table(
    "member_tombstones",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("erased_at", UtcDateTime, nullable=False),
    # present: still in the community when erased, so a later join for this id is a replay.
    Column("present", Boolean, nullable=False),
)

SALT_KEY = "tombstone_salt"


@dataclass(frozen=True)
class _Tombstone:
    id_hash: str
    present: bool


async def tombstone_salt(conn: AsyncConnection) -> str:
    """The database's random salt for tombstones, created on first use (race-safe)."""
    query = select(privacy_settings.c.value).where(privacy_settings.c.key == SALT_KEY)
    value = (await conn.execute(query)).scalar_one_or_none()
    if value is not None:
        return value
    try:
        async with conn.begin_nested():
            await conn.execute(
                insert(privacy_settings).values(key=SALT_KEY, value=secrets.token_hex(32))
            )
    except IntegrityError:
        pass
    return (await conn.execute(query)).scalar_one()


def salted_hash(salt: str, member_id: str) -> str:
    return hashlib.sha256(f"{salt}:{member_id}".encode()).hexdigest()


async def id_hash(conn: AsyncConnection, member_id: str) -> str:
    return salted_hash(await tombstone_salt(conn), member_id)


async def write_tombstone(
    conn: AsyncConnection, member_id: str, at: datetime, present: bool
) -> str:
    """Delete the member row and remember only the salted hash. Returns the hash."""
    digest = await id_hash(conn, member_id)
    await conn.execute(delete(members).where(members.c.id == member_id))
    await conn.execute(delete(member_tombstones).where(member_tombstones.c.id_hash == digest))
    await conn.execute(
        insert(member_tombstones).values(id_hash=digest, erased_at=at, present=present)
    )
    return digest


def _info(row: Row[Any]) -> MemberInfo:
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
                stone = await self._tombstone(conn, member_id)
                if stone is not None and stone.present:
                    # Erased while still here: this join is a replay. Record nothing about them.
                    return JoinRecord(first_time=False, already_present=True, join_count=1)
                if stone is not None:
                    await conn.execute(
                        delete(member_tombstones).where(
                            member_tombstones.c.id_hash == stone.id_hash
                        )
                    )
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
            result = await conn.execute(
                update(members)
                .where(members.c.id == member_id, members.c.left_at.is_(None))
                .values(left_at=at)
            )
            if result.rowcount == 0:
                stone = await self._tombstone(conn, member_id)
                if stone is not None and stone.present:
                    # An erased member left: a later join is a real return, not a replay.
                    await conn.execute(
                        update(member_tombstones)
                        .where(member_tombstones.c.id_hash == stone.id_hash)
                        .values(present=False)
                    )

    @staticmethod
    async def _tombstone(conn: AsyncConnection, member_id: str) -> _Tombstone | None:
        if (
            await conn.execute(select(func.count()).select_from(member_tombstones))
        ).scalar_one() == 0:
            return None
        digest = await id_hash(conn, member_id)
        present = (
            await conn.execute(
                select(member_tombstones.c.present).where(member_tombstones.c.id_hash == digest)
            )
        ).scalar_one_or_none()
        return None if present is None else _Tombstone(id_hash=digest, present=bool(present))

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

    async def present_ids(self) -> list[str]:
        m = members.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(m.id).where(m.left_at.is_(None), m.is_bot.is_(False)).order_by(m.id)
            )
            return [row[0] for row in rows]

    async def count_present(self) -> int:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.count())
                    .select_from(members)
                    .where(members.c.left_at.is_(None), members.c.is_bot.is_(False))
                )
            ).scalar_one()
