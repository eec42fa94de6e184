"""Shared helpers for privacy tests: read the export a console run wrote, scan a database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any


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


def cells_mentioning(db_path: Path, needle: str) -> list[tuple[str, str, Any]]:
    """(table, column, value) of every cell in the database whose text contains `needle`."""
    found = []
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from sqlite_master)
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if needle.lower() in str(value).lower():
                        found.append((table, column, value))
    return found


def refs_with_choices(actions: list[dict[str, Any]], label: str) -> list[str]:
    return [a["ref"] for a in actions if any(c["label"] == label for c in a.get("choices", ()))]
