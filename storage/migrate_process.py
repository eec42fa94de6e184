"""Migrations in a child process, so a long-running Plein never holds Alembic in memory.

Alembic, Mako and the migration scripts cost a gateway process about 12 MiB that it keeps until
it stops (bench/discord_ingest.py at 100k events / 5k members, on a new database: peak RSS
167 MiB with the migration in process, 151 MiB with this and the ladder's shared sets; README
"Benchmarks"). `plein run` for a platform calls `migrate_in_child` when a
migration is pending; the child migrates and exits. When the child fails, the caller migrates in
process as before, which raises the error the operator sees (a database newer than this Plein, a
file that cannot be opened): one place words those failures.

    python -m storage.migrate_process   (the URL comes in PLEIN_MIGRATE_URL, never on argv,
                                          where `ps` would show a password)
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from storage.db import Database, sqlite_file

log = logging.getLogger("plein.storage")

URL_VARIABLE = "PLEIN_MIGRATE_URL"


async def open_for_long_run(url: str) -> Database:
    """The database for a long-running Plein: migrated by a child process when a migration is
    pending. An in-memory database (nothing a child could reach) and every failure are left to
    the in-process migration that follows."""
    db = Database.from_url(url)
    if db.is_sqlite and sqlite_file(url) is None:
        return db
    try:
        if await db.migration_pending():
            await migrate_in_child(url)
    except Exception as error:
        log.info("could not look for pending migrations (%s); migrating here", error)
    return db


async def migrate_in_child(url: str) -> bool:
    """Migrate the database at `url` to the head in a child process; True when it did."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        __name__,
        env={**os.environ, URL_VARIABLE: url},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, errors = await child.communicate()
    if child.returncode != 0:
        lines = errors.decode(errors="replace").strip().splitlines()
        log.info("migrating in a child process failed (%s); migrating here", (lines or ["?"])[-1])
        return False
    return True


async def _migrate(url: str) -> None:
    db = Database.from_url(url)
    try:
        await db.migrate()
    finally:
        await db.close()


def main() -> int:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        print(f"{URL_VARIABLE} is not set", file=sys.stderr)
        return 2
    try:
        asyncio.run(_migrate(url))
    except Exception as error:  # the parent migrates in process and words the failure
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
