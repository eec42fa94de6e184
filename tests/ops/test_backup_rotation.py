"""Scheduled rotating backups, `plein restore` and a database newer than the code."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter
from bot.app import Plein, build
from bot.clock import ManualClock
from storage.db import Database, DatabaseTooNew
from storage.in_use import InUse
from storage.restore import EXIT_IN_USE, restore
from tests.support import EXAMPLE_START, ConsoleRun, config_from

pytestmark = pytest.mark.sqlite_file  # backups and restore copy the SQLite file (not PostgreSQL)
ROOT = Path(__file__).resolve().parents[2]


def backup_env(backups: Path) -> dict[str, str]:
    return {
        "PLEIN_STORAGE__BACKUP_EVERY": "1h",
        "PLEIN_STORAGE__BACKUP_KEEP": "3",
        "PLEIN_STORAGE__BACKUP_DIR": str(backups),
    }


async def plein_at(db_path: Path, backups: Path, moment: datetime) -> Plein:
    config = config_from(db_path=db_path, **backup_env(backups))
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO(), json_output=True)
    return await build(config, adapter, clock=ManualClock(moment))


def members_in(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute("SELECT count(*) FROM members").fetchone()[0])


async def test_backups_rotate_keeping_n_and_survive_a_restart(tmp_path: Path) -> None:
    db_path, backups = tmp_path / "plein.db", tmp_path / "backups"
    backups.mkdir()
    (backups / "notes.txt").write_text("not ours")  # never touched by the rotation
    start = datetime.fromisoformat(EXAMPLE_START)
    community = ConsoleRun(db_path=db_path, json=False, env=backup_env(backups))
    # The first backup is due at once; then one an hour, while the community lives on.
    out = await community.run("join m0\njoin m1\njoin m2\nm0: Hallo!\nwait 5h30m", start)
    assert not [line for line in out if line.startswith("[error]")]

    files = sorted(p.name for p in backups.glob("plein-*.db"))
    assert files == [
        "plein-20260323T100000Z.db",
        "plein-20260323T110000Z.db",
        "plein-20260323T120000Z.db",
    ]
    assert (backups / "notes.txt").exists()
    for name in files:
        with sqlite3.connect(backups / name) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert members_in(backups / files[-1]) == 3

    # Down for two hours and back: one backup at once (it is overdue), not a burst.
    plein = await plein_at(db_path, backups, start + timedelta(hours=7, minutes=40))
    await plein.ready()
    await plein.close()
    files = sorted(p.name for p in backups.glob("plein-*.db"))
    assert len(files) == 3 and files[-1] == "plein-20260323T144000Z.db"


async def test_restore_refuses_a_database_in_use_then_restores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, backups = tmp_path / "plein.db", tmp_path / "backups"
    community = ConsoleRun(db_path=db_path, json=False, env=backup_env(backups))
    await community.run("join anna")  # the first backup is written at start, before anna came
    backup = next(backups.glob("plein-*.db"))
    assert members_in(db_path) == 1 and members_in(backup) == 0
    url = f"sqlite:///{db_path}"

    running = InUse.hold(db_path)  # what `plein run` holds while it runs
    try:
        assert await restore(url, backup) == EXIT_IN_USE
        assert "in use by a running Plein" in capsys.readouterr().err
        assert members_in(db_path) == 1
    finally:
        running.release()

    assert await restore(url, backup) == 0
    assert members_in(db_path) == 0
    assert members_in(db_path.with_name("plein.db.before-restore")) == 1


async def test_restore_refuses_a_file_that_is_not_a_plein_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)
    target = tmp_path / "plein.db"
    assert await restore(f"sqlite:///{target}", junk) == 1
    assert not target.exists()


async def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'plein.db'}")
    await db.migrate()
    async with db.begin() as conn:
        await conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(DatabaseTooNew, match="0099_future.*does not downgrade"):
        await db.migrate()
    await db.close()


def plein_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PLEIN_STORAGE__URL": f"sqlite:///{tmp_path / 'plein.db'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )


def test_plein_run_refuses_a_newer_database_with_a_clear_message(tmp_path: Path) -> None:
    assert plein_cli(tmp_path, "db", "upgrade").returncode == 0
    with sqlite3.connect(tmp_path / "plein.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    run = plein_cli(tmp_path, "run", "--script", "-")
    assert run.returncode == 3, run.stderr
    assert "a newer Plein has upgraded it" in run.stderr and "Traceback" not in run.stderr
    status = plein_cli(tmp_path, "db", "status")
    assert status.returncode == 0, status.stderr
    assert "current revision: 0099_future" in status.stdout
    assert "upgraded by a newer Plein" in status.stdout


def test_db_status_lists_pending_revisions(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PLEIN_STORAGE__URL": f"sqlite:///{tmp_path / 'p.db'}",
    }
    status = subprocess.run(
        [sys.executable, "-m", "bot", "db", "status"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    assert "current revision: none (empty database)" in status.stdout
    assert "0001_foundation" in status.stdout and "pending" in status.stdout
