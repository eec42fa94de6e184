"""Tables and queries for the privacy feature: erasure (row + tombstone), retention, audit log.

The audit log names who acted (a manager's id, "self" or "retention"), when and what; the erased
member appears only as their tombstone hash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, String, Table, func, insert, select

from storage.db import Database
from storage.members import members, write_tombstone
from storage.schema import UtcDateTime, metadata

privacy_audit = Table(
    "privacy_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(30), nullable=False),
    Column("subject_hash", String(64), nullable=False),
    Column("detail", String(500), nullable=False, default=""),
)


class SqlPrivacyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def forget_member(
        self, member_id: str, at: datetime, *, actor: str, action: str, detail: str, present: bool
    ) -> str:
        """Drop the member row, leave a tombstone and write the audit entry in one transaction."""
        async with self.db.begin() as conn:
            row = (
                await conn.execute(select(members.c.left_at).where(members.c.id == member_id))
            ).one_or_none()
            if row is not None:
                present = row.left_at is None
            digest = await write_tombstone(conn, member_id, at, present)
            await conn.execute(
                insert(privacy_audit).values(
                    at=at, actor=actor, action=action, subject_hash=digest, detail=detail[:500]
                )
            )
            return digest

    async def departed_before(self, cutoff: datetime, limit: int = 500) -> list[str]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(members.c.id)
                .where(members.c.left_at.is_not(None), members.c.left_at <= cutoff)
                .order_by(members.c.left_at)
                .limit(limit)
            )
            return [row.id for row in rows]

    async def earliest_departure(self) -> datetime | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.min(members.c.left_at)).where(members.c.left_at.is_not(None))
                )
            ).scalar_one_or_none()

    async def audit_by(self, actor: str) -> list[dict[str, Any]]:
        """Entries where this member acted (a manager's own data, for their export)."""
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(privacy_audit)
                .where(privacy_audit.c.actor == actor)
                .order_by(privacy_audit.c.id)
            )
            return [
                {"at": row.at.isoformat(), "action": row.action, "subject": row.subject_hash[:12]}
                for row in rows
            ]

    async def audit_entries(self) -> list[dict[str, Any]]:
        async with self.db.connect() as conn:
            rows = await conn.execute(select(privacy_audit).order_by(privacy_audit.c.id))
            return [dict(row._mapping) for row in rows]


def make_store(db: Database) -> SqlPrivacyStore:
    return SqlPrivacyStore(db)
