"""Start-up skips alembic when the database is already at the head revision."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.db import Database, alembic_config, script_head


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert script_head() == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_a_current_database_is_not_migrated_again_and_a_stale_one_is(tmp_path: Path) -> None:
    path = tmp_path / "plein.db"
    db = Database.from_url(f"sqlite:///{path}")
    await db.migrate()
    assert await db.current_revision() == script_head()
    await db.close()
    with sqlite3.connect(path) as conn:  # an operator's marker: a real upgrade would not keep it
        conn.execute("CREATE TABLE marker (x INTEGER)")
    db = Database.from_url(f"sqlite:///{path}")
    await db.migrate()  # at head: nothing runs
    assert await db.current_revision() == script_head()
    await db.close()
    with sqlite3.connect(path) as conn:  # one revision behind: the pending migration runs
        conn.execute("UPDATE alembic_version SET version_num = '0007_privacy'")
    db = Database.from_url(f"sqlite:///{path}")
    await db.migrate()
    assert await db.current_revision() == script_head()
    await db.close()
