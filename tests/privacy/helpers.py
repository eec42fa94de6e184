"""Shared helpers for privacy tests: read the export a console run wrote, scan a database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from storage.db import Database


def exported(actions: list[dict[str, Any]], member: str) -> dict[str, Any]:
    """The JSON file of the last /privacy export DM'd to `member` in a console run."""
    files = [f for a in actions if a.get("member") == member for f in a.get("files", ())]
    assert files, f"no export file sent to {member}"
    return json.loads(Path(files[-1]).read_text(encoding="utf-8"))


def leaves(value: Any) -> list[Any]:
    """Every meaningful scalar in a JSON structure (not None, empty, zero or false)."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in leaves(v)]
    return [value] if value not in (None, "", 0, False) else []


async def cells_mentioning(storage_url: str, needle: str) -> list[tuple[str, str, Any]]:
    """(table, column, value) of every cell in the database whose text contains `needle`: every
    table the database has (asked of the database itself, not of Plein's metadata), on SQLite
    and PostgreSQL."""
    db = Database.from_url(storage_url)
    found = []
    try:
        async with db.connect() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            for table in tables:
                result = await conn.exec_driver_sql(f'SELECT * FROM "{table}"')  # noqa: S608
                columns = list(result.keys())
                for row in result:
                    for column, value in zip(columns, row, strict=True):
                        if needle.lower() in str(value).lower():
                            found.append((table, column, value))
    finally:
        await db.close()
    return found


def refs_with_choices(actions: list[dict[str, Any]], label: str) -> list[str]:
    return [a["ref"] for a in actions if any(c["label"] == label for c in a.get("choices", ()))]
