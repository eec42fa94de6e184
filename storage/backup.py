"""`plein backup FILE`: a consistent copy of a live SQLite database (SQLite's online backup API).

The copy is one snapshot taken in a single backup step, so it is consistent even while the bot
keeps writing (WAL mode: readers never block the writer). It is written beside the target and
renamed into place only after `PRAGMA integrity_check` passed. PostgreSQL: use pg_dump.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.db import sqlite_file

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNSUPPORTED = 2


def copy_verified(source: Path, target: Path) -> tuple[int, int]:
    """Copy and verify; returns (pages, bytes). Raises sqlite3.Error or RuntimeError."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step = one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise RuntimeError(f"integrity check of the copy failed: {check}")
            pages = dst.execute("PRAGMA page_count").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)
    return pages, target.stat().st_size


def _problem(source: Path, target: Path) -> str | None:
    if not source.is_file():
        return f"{source}: no such database file"
    if target.resolve() == source.resolve():
        return "the target is the database itself"
    if not target.parent.is_dir():
        return f"{target.parent}: no such directory"
    return None


async def backup(url: str, target: Path) -> int:
    backend = make_url(url).get_backend_name()
    if backend != "sqlite":
        print(
            f"plein backup copies SQLite databases; this one is {backend}. "
            "Use your database's own tools, e.g. pg_dump --format=custom for PostgreSQL.",
            file=sys.stderr,
        )
        return EXIT_UNSUPPORTED
    source = sqlite_file(url)
    if source is None:
        print("plein backup: an in-memory database cannot be backed up", file=sys.stderr)
        return EXIT_UNSUPPORTED
    problem = await asyncio.to_thread(_problem, source, target)
    if problem:
        print(f"plein backup: {problem}", file=sys.stderr)
        return EXIT_FAILED
    try:
        pages, size = await asyncio.to_thread(copy_verified, source, target)
    except (sqlite3.Error, RuntimeError, OSError) as exc:
        print(f"plein backup: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"backed up {source} to {target} ({pages} pages, {size} bytes, integrity ok)")
    return EXIT_OK
