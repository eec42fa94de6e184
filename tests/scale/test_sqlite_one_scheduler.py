"""SQLite, two `plein run` processes on one file: the second scheduler is refused at start, in
words; a second process with `--role adapter` (no scheduler) is allowed beside the first.

SQLite has one writer at a time and no row locks to share due work with, so Plein does not try
to: one scheduler per file (storage/in_use.py SchedulerLock), any number of adapter processes.
"""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def plein(tmp_path: Path, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this worktree's code, not an installed one
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.fixture
def first(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """An interactive console Plein on ./plein.db, started (its summary printed), scheduler on."""
    leader, follower = pty.openpty()
    proc = plein(tmp_path, "--adapter", "console", stdin=follower)
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline().startswith("Plein ready:")
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        os.close(leader)
        os.close(follower)


def test_a_second_scheduler_on_the_same_file_is_refused(
    tmp_path: Path, first: subprocess.Popen[str]
) -> None:
    (tmp_path / "script.txt").write_text("join m1\nm1: hallo\n")
    second = plein(tmp_path, "--script", "script.txt", "--start", "2026-03-23T08:00")
    out, err = second.communicate(timeout=60)
    assert second.returncode == 3, err
    assert "another Plein already runs the scheduler on the SQLite database" in err
    assert "--role adapter" in err and "PostgreSQL" in err
    assert "Traceback" not in err
    assert first.poll() is None  # the first one runs on, untouched


def test_an_adapter_only_process_may_run_beside_it(
    tmp_path: Path, first: subprocess.Popen[str]
) -> None:
    (tmp_path / "script.txt").write_text("join m1\nm1: hallo\n")
    second = plein(
        tmp_path, "--script", "script.txt", "--start", "2026-03-23T08:00", "--role", "adapter"
    )
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert "m1" in out
    assert first.poll() is None


def test_the_scheduler_lock_is_free_again_after_a_sigkill(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    try:
        killed = plein(tmp_path, "--adapter", "console", stdin=follower)
        assert killed.stderr is not None
        assert killed.stderr.readline().startswith("Plein ready:")
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    finally:
        os.close(leader)
        os.close(follower)
    (tmp_path / "script.txt").write_text("join m1\n")
    after = plein(tmp_path, "--script", "script.txt", "--start", "2026-03-23T08:00")
    _, err = after.communicate(timeout=60)
    assert after.returncode == 0, err
