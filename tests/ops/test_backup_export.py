"""`plein backup` under concurrent writes, and `plein export --format csv`."""

from __future__ import annotations

import asyncio
import csv
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from storage.backup import backup
from storage.db import Database
from storage.export import export

ROOT = Path(__file__).resolve().parents[2]


def make_live_db(path: Path | str) -> None:
    """Migrate the SQLite file `path`, or the database at a storage URL."""
    asyncio.run(_migrate(path if isinstance(path, str) else f"sqlite:///{path}"))


async def _migrate(url: str) -> None:
    db = Database.from_url(url)
    try:
        await db.migrate()
    finally:
        await db.close()


def writer(path: Path, stop: threading.Event, started: threading.Event, written: list[int]) -> None:
    """Another process's worth of writes: members inserted one transaction at a time."""
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    n = 0
    while not stop.is_set() or n < 200:
        n += 1
        conn.execute(
            "INSERT INTO members (id, name, is_bot, first_joined_at, joined_at, join_count) "
            "VALUES (?, ?, 0, '2026-03-23 07:00:00', '2026-03-23 07:00:00', 1)",
            (f"console:m{n}", f"m{n}"),
        )
        conn.commit()
        written.append(n)
        if n == 50:
            started.set()
    conn.close()


def test_backup_under_concurrent_writes_restores_and_passes_integrity_check(
    tmp_path: Path,
) -> None:
    live = tmp_path / "plein.db"
    make_live_db(live)
    stop, started, written = threading.Event(), threading.Event(), []
    thread = threading.Thread(target=writer, args=(live, stop, started, written))
    thread.start()
    try:
        assert started.wait(timeout=30)
        copies = []
        for i in range(5):
            target = tmp_path / f"backup{i}.db"
            before = len(written)
            assert asyncio.run(backup(f"sqlite:///{live}", target)) == 0
            copies.append((target, before, len(written)))
    finally:
        stop.set()
        thread.join()
    for target, before, after in copies:
        with sqlite3.connect(target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = conn.execute("SELECT count(*) FROM members").fetchone()[0]
            ids = {r[0] for r in conn.execute("SELECT id FROM members")}
        assert before <= count <= after
        assert ids == {f"console:m{n}" for n in range(1, count + 1)}  # a prefix: consistent
        assert not target.with_name(target.name + ".partial").exists()
    # The copy is a working Plein database: it migrates (no-op) and opens.
    make_live_db(copies[-1][0])


def test_backup_refuses_postgres_and_missing_files_clearly(tmp_path: Path, capsys) -> None:
    assert asyncio.run(backup("postgresql://plein:pw@db/plein", tmp_path / "x.db")) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert asyncio.run(backup(f"sqlite:///{tmp_path / 'none.db'}", tmp_path / "x.db")) == 1
    assert "no such database file" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()  # never creates an empty database


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_cli_backup_and_csv_export(tmp_path: Path) -> None:
    script = "join anna\njoin xandra\nxandra: /privacy forget confirm:yes\nanna: hallo\n"
    ran = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--script", "-", "--start", "2026-03-23T08:00"],
        input=script,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    done = run_cli("backup", "copy.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    exported = run_cli("export", "--format", "csv", "out", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    with (tmp_path / "out" / "members.csv").open() as handle:
        members = list(csv.DictReader(handle))
    assert [m["id"] for m in members] == ["console:anna"]  # erased members are gone
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert "privacy_audit.csv" in names
    assert "privacy_settings.csv" not in names and "member_tombstones.csv" not in names
    with (tmp_path / "out" / "privacy_audit.csv").open() as handle:
        header = next(csv.reader(handle))
    assert "subject_hash" not in header


def test_export_discovers_tables_and_skips_denied_columns(
    tmp_path: Path, empty_storage_url: str
) -> None:
    make_live_db(empty_storage_url)
    assert asyncio.run(export(empty_storage_url, tmp_path / "csv", "csv")) == 0
    for path in (tmp_path / "csv").glob("*.csv"):
        header = path.read_text().splitlines()[0].split(",")
        assert not [c for c in header if "token" in c or "secret" in c or "hash" in c]
