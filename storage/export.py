"""`plein export --format csv DIR`: one CSV per table managers care about.

Tables are discovered from the metadata, so a new feature's tables are exported without changes
here. Internal tables (salt, tombstones) and sensitive columns are left out by a deny-list.
"""

from __future__ import annotations

import asyncio
import csv
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, inspect, select

import storage.tables  # noqa: F401  (every table on the metadata)
from storage.db import Database
from storage.schema import metadata

FORMATS = ("csv",)
DENY_TABLES = {"privacy_settings", "member_tombstones", "alembic_version"}
DENY_COLUMN_PARTS = ("secret", "token", "password", "salt", "hash", "text", "body", "content")
"""Columns whose name contains one of these are never exported (message-like text, secrets)."""


def exported_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if not any(part in column.name.lower() for part in DENY_COLUMN_PARTS)
    ]


def exported_tables() -> list[Table]:
    return [
        table
        for table in metadata.sorted_tables
        if table.name not in DENY_TABLES and exported_columns(table)
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None:
        return ""
    return value


def _prepare(directory: Path) -> str | None:
    if directory.exists() and not directory.is_dir():
        return f"{directory} is not a directory"
    directory.mkdir(parents=True, exist_ok=True)
    return None


def _write_csv(path: Path, columns: list[str], rows: Sequence[Any]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)


async def export(url: str, directory: Path, fmt: str) -> int:
    if fmt not in FORMATS:
        print(f"plein export: unknown format {fmt!r}; use {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    problem = await asyncio.to_thread(_prepare, directory)
    if problem:
        print(f"plein export: {problem}", file=sys.stderr)
        return 1
    db = Database.from_url(url)
    try:
        async with db.connect() as conn:
            present = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
            for table in exported_tables():
                if table.name not in present:
                    print(f"{table.name}: not in this database (run: plein db upgrade)")
                    continue
                columns = exported_columns(table)
                query = select(*(table.c[name] for name in columns))
                primary = [c for c in table.primary_key.columns if c.name in columns]
                if primary:
                    query = query.order_by(*primary)
                rows = (await conn.execute(query)).all()
                path = directory / f"{table.name}.csv"
                await asyncio.to_thread(_write_csv, path, columns, rows)
                print(f"{path}: {len(rows)} rows")
    finally:
        await db.close()
    return 0
