"""The dashboard's page snapshots kept in the database, so a restarted Plein (or another process
on the same PostgreSQL database) serves the last figures at once while it computes fresh ones.

One row per page. `config_key` says which configuration and code made it, `privacy_mark` what
the spotlight opt-outs and the forgotten members were then: a row whose key or mark differs from
the serving process's is not served (bot/features/dashboard/stored.py decides).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Column, String, Table, Text, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.features.dashboard.ports import StoredSnapshot
from storage.db import Database
from storage.members import member_tombstones
from storage.report_rows import table
from storage.schema import UtcDateTime, metadata

dashboard_snapshots = Table(
    "dashboard_snapshots",
    metadata,
    Column("page", String(20), primary_key=True),
    Column("config_key", String(64), nullable=False),
    Column("privacy_mark", String(64), nullable=False),
    Column("computed_at", UtcDateTime, nullable=False),
    Column("data", Text, nullable=False),
)


class SqlSnapshotStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def privacy_mark(self) -> str:
        """Changes whenever a member opts out of (or back into) the spotlight or is forgotten:
        counts and latest times of the preferences and the tombstones (two indexed reads)."""
        prefs = table("spotlight_prefs", "member_id", "choice", "at")
        t = member_tombstones
        async with self.db.connect() as conn:
            parts = list((await conn.execute(select(func.count(), func.max(t.c.erased_at)))).one())
            if prefs is not None:
                parts += list(
                    (
                        await conn.execute(
                            select(func.count(), func.max(prefs.c.at)).where(
                                prefs.c.choice == "out"
                            )
                        )
                    ).one()
                )
                parts += list(
                    (await conn.execute(select(func.count(), func.max(prefs.c.at)))).one()
                )
        text = "|".join(str(part) for part in parts)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    async def load(self, page: str) -> StoredSnapshot | None:
        query = select(dashboard_snapshots).where(dashboard_snapshots.c.page == page)
        async with self.db.connect() as conn:
            row = (await conn.execute(query)).one_or_none()
        if row is None:
            return None
        return StoredSnapshot(row.page, row.config_key, row.privacy_mark, row.computed_at, row.data)

    async def save(self, snapshot: StoredSnapshot) -> None:
        """Replace the page's row unless a newer one is there (another process was quicker)."""
        rows = dashboard_snapshots
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    delete(rows).where(
                        rows.c.page == snapshot.page, rows.c.computed_at <= snapshot.computed_at
                    )
                )
                await conn.execute(
                    insert(rows).values(
                        page=snapshot.page,
                        config_key=snapshot.config_key,
                        privacy_mark=snapshot.privacy_mark,
                        computed_at=snapshot.computed_at,
                        data=snapshot.data,
                    )
                )
        except IntegrityError:
            pass  # a newer snapshot of this page is kept

    async def clear(self) -> None:
        """Drop every stored snapshot (a member was forgotten: their name may be in one)."""
        async with self.db.begin() as conn:
            await conn.execute(delete(dashboard_snapshots))

    async def erase_member(self, member_id: str) -> None:
        await self.clear()

    async def export_member(self, member_id: str) -> dict[str, object]:
        return {}  # figures derived from what the other features export
