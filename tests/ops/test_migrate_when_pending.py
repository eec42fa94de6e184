"""Start-up loads alembic only when a migration is pending (it is a large part of start-up)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, insert, select

from storage.db import Database, alembic_config, script_head
from storage.recognition_tables import contribution_daily
from storage.week_people import week_people

MIGRATE = """
import asyncio, sys
from storage.db import Database

async def main(url):
    db = Database.from_url(url)
    await db.migrate()
    print(await db.current_revision() if "alembic" in sys.modules else "-", end=" ")
    print("alembic" in sys.modules)
    await db.close()

asyncio.run(main(sys.argv[1]))
"""


def in_a_fresh_process(script: str, storage_url: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", script, storage_url],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()


def migrate_in_a_fresh_process(storage_url: str) -> str:
    return in_a_fresh_process(MIGRATE, storage_url)


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert script_head() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_alembic_runs_for_a_new_database_and_not_for_a_current_one(
    empty_storage_url: str,
) -> None:
    assert migrate_in_a_fresh_process(empty_storage_url) == f"{script_head()} True"
    assert migrate_in_a_fresh_process(empty_storage_url) == "- False"


LONG_RUN = """
import asyncio, sys
from storage.migrate_process import open_for_long_run

async def main(url):
    db = await open_for_long_run(url)
    pending = await db.migration_pending()
    ready = await db.readiness()
    print(pending, ready, "alembic" in sys.modules)
    await db.close()

asyncio.run(main(sys.argv[1]))
"""


def open_in_a_fresh_process(storage_url: str) -> str:
    return in_a_fresh_process(LONG_RUN, storage_url)


def test_a_long_running_plein_migrates_in_a_child_and_never_loads_alembic(
    empty_storage_url: str,
) -> None:
    """`plein run` for a platform: a child process migrates (Alembic would stay in the gateway
    process's memory for as long as it runs), and /readyz's check does not load it either."""
    assert open_in_a_fresh_process(empty_storage_url) == "False None False"
    assert migrate_in_a_fresh_process(empty_storage_url) == "- False"  # at the head already


def test_a_failing_child_leaves_the_wording_to_the_migration_in_process(tmp_path: Path) -> None:
    """A database newer than this Plein: the child fails, and the in-process migration that
    follows raises the error the operator reads (tests/core/test_startup_failures.py words it)."""
    import sqlite3

    database = tmp_path / "plein.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        db.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    result = subprocess.run(
        [sys.executable, "-c", MIGRATE, f"sqlite:///{database}"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0 and "DatabaseTooNew" in result.stderr
    assert open_in_a_fresh_process(f"sqlite:///{database}").startswith("True ")


async def test_an_older_database_with_history_is_upgraded_by_the_child(
    empty_storage_url: str,
) -> None:
    """A community's database from an older Plein (before the week-people rows): the child
    upgrades it, the history stays and the migrations' backfills run over it."""
    first = date(2026, 1, 5)
    rows = [
        {"day": first + timedelta(days=n), "member_id": f"m{n % 7}", "kind": "message"}
        | {"count": 1 + n % 3, "points": 1}
        for n in range(60)
    ]
    db = Database.from_url(empty_storage_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(
                lambda sync: command.upgrade(alembic_config(sync), "0021_weekly_aggregates")
            )
        async with db.begin() as conn:
            await conn.execute(insert(contribution_daily), rows)
    finally:
        await db.close()

    assert open_in_a_fresh_process(empty_storage_url) == "False None False"

    db = Database.from_url(empty_storage_url)
    try:
        assert await db.current_revision() == script_head()
        async with db.connect() as conn:
            kept = await conn.scalar(select(func.count()).select_from(contribution_daily))
            people = await conn.scalar(select(func.count(func.distinct(week_people.c.member_id))))
        assert kept == len(rows)
        assert people == 7  # every member's weeks, backfilled from the daily rows
    finally:
        await db.close()
