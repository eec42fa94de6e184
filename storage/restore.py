"""`plein restore FILE`: put a backup in place of the SQLite database, never under a running Plein.

The backup is checked first (a SQLite file, `PRAGMA integrity_check`, a migration revision this
Plein knows); the database it replaces is kept beside it as `<database>.before-restore`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.backup import EXIT_FAILED, EXIT_OK, EXIT_UNSUPPORTED, copy_verified
from storage.db import sqlite_file
from storage.in_use import InUse
from storage.revisions import known_revisions

EXIT_IN_USE = 3


def backup_problem(backup: Path) -> str | None:
    if not backup.is_file():
        return f"{backup}: no such file"
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"{backup}: not a Plein database ({exc})"
    if check != "ok":
        return f"{backup}: integrity check failed: {check}"
    if row is None or row[0] not in known_revisions():
        revision = row[0] if row else "none"
        return (
            f"{backup}: made by a newer Plein (revision {revision}); install that version to "
            "restore it"
        )
    return None


def _problem(database: Path, backup: Path) -> str | None:
    if not database.parent.is_dir():
        return f"{database.parent}: no such directory"
    if backup.is_file() and backup.resolve() == database.resolve():
        return "the backup is the database itself"
    return backup_problem(backup)


def _replace(database: Path, backup: Path) -> Path | None:
    kept = None
    if database.exists():
        kept = database.with_name(database.name + ".before-restore")
        shutil.copy2(database, kept)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    copy_verified(backup, database)
    os.chmod(database, 0o600)
    return kept


async def restore(url: str, backup: Path) -> int:
    database = sqlite_file(url) if make_url(url).get_backend_name() == "sqlite" else None
    if database is None:
        print(
            "plein restore puts back SQLite backups; for PostgreSQL use pg_restore "
            "(see 'Back it up' in the README).",
            file=sys.stderr,
        )
        return EXIT_UNSUPPORTED
    problem = await asyncio.to_thread(_problem, database, backup)
    if problem:
        print(f"plein restore: {problem}", file=sys.stderr)
        return EXIT_FAILED
    alone = InUse.take_alone(database)
    if alone is None:
        print(
            f"plein restore: {database} is in use by a running Plein; stop it first "
            "(systemctl stop plein, or docker compose stop plein), then restore",
            file=sys.stderr,
        )
        return EXIT_IN_USE
    try:
        kept = await asyncio.to_thread(_replace, database, backup)
    except (sqlite3.Error, RuntimeError, OSError) as exc:
        print(f"plein restore: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        alone.release()
    note = f"; the previous database is kept as {kept}" if kept else ""
    print(f"restored {backup} to {database}{note}")
    return EXIT_OK
