"""Start-up loads alembic only when a migration is pending (it is a large part of start-up)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.db import alembic_config, script_head

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


def migrate_in_a_fresh_process(storage_url: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", MIGRATE, storage_url],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert script_head() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_alembic_runs_for_a_new_database_and_not_for_a_current_one(
    empty_storage_url: str,
) -> None:
    assert migrate_in_a_fresh_process(empty_storage_url) == f"{script_head()} True"
    assert migrate_in_a_fresh_process(empty_storage_url) == "- False"
