"""Seed other features' tables directly (members, contributions, kudos, ...) for report tests.

Rows are written through the shared metadata's Table objects; required columns the test does
not care about get neutral values, so the seed survives small schema additions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Date, DateTime, Integer, insert

import storage.tables  # noqa: F401
from storage.db import Database
from storage.recognition import make_store as make_recognition_store
from storage.schema import metadata


def _neutral(column: Any, at: datetime) -> Any:
    kind = column.type
    if isinstance(kind, DateTime) or getattr(kind, "impl", None).__class__ is DateTime:
        return at
    if isinstance(kind, Date):
        return at.date()
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 0
    return ""


async def seed(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    target = metadata.tables[table]
    full = []
    for row in rows:
        at = row.get("at") or row.get("first_joined_at") or datetime(2026, 1, 1)
        values = dict(row)
        for column in target.columns:
            if column.name in values or column.nullable or column.autoincrement is True:
                continue
            if (
                column.primary_key
                and isinstance(column.type, Integer)
                and len(target.primary_key) == 1
            ):
                continue
            if column.default is not None:
                continue
            values[column.name] = _neutral(column, at)
        full.append(values)
    async with db.begin() as conn:
        for values in full:
            await conn.execute(insert(target).values(**values))


def day(moment: datetime) -> date:
    return moment.date()


async def record_contributions(
    db: Database, rows: list[tuple[str, str, datetime]], tz: ZoneInfo
) -> None:
    """(member id, kind, at) through the recognition store's real write path, so the daily
    aggregates the report reads are kept exactly as in production (rows in time order)."""
    store = make_recognition_store(db)
    await store.record(
        [
            (member, kind, "general", at, 20, None, 1, at.astimezone(tz).date())
            for member, kind, at in sorted(rows, key=lambda row: row[2])
        ]
    )
