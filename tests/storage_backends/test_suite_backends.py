"""The suite's own promise: storage tests run on SQLite and PostgreSQL, SQLite-only tests say so,
a PostgreSQL that cannot be reached is a clear failure, and CI never skips PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.postgres_server import OWN_SERVER_VARIABLE, PostgresUnavailable, running_server

ROOT = Path(__file__).resolve().parents[2]

INNER_CONFTEST = "from tests.conftest import *  # noqa: F403 (the suite's hooks and fixtures)\n"
INNER_TESTS = """
import pytest


def test_storage(backend):
    if backend == "postgres":
        pytest.skip("pretending PostgreSQL is not there")


@pytest.mark.sqlite_file
def test_reads_the_file(backend):
    assert backend == "sqlite"


def test_no_storage():
    pass
"""


def inner_pytest(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text(INNER_CONFTEST, encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(INNER_TESTS, encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ |= {"PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_storage_tests_get_both_backends_and_sqlite_file_tests_only_sqlite(tmp_path: Path) -> None:
    ran = inner_pytest(tmp_path, "--collect-only", "-q")
    ids = sorted(line for line in ran.stdout.splitlines() if "::" in line)
    assert ids == [
        "test_inner.py::test_no_storage",
        "test_inner.py::test_reads_the_file[sqlite]",
        "test_inner.py::test_storage[postgres]",
        "test_inner.py::test_storage[sqlite]",
    ]
    only_sqlite = inner_pytest(tmp_path, "--collect-only", "-q", "-k", "not postgres")
    assert "test_storage[postgres]" not in only_sqlite.stdout
    assert "test_storage[sqlite]" in only_sqlite.stdout


def test_a_skipped_postgres_test_fails_in_ci(tmp_path: Path) -> None:
    locally = inner_pytest(tmp_path, "-rA")
    assert locally.returncode == 0, locally.stdout
    assert "SKIPPED" in locally.stdout
    in_ci = inner_pytest(tmp_path, "-rA", CI="true")
    assert in_ci.returncode == 1, in_ci.stdout
    assert "PostgreSQL tests must not be skipped in CI" in in_ci.stdout
    assert "1 failed, 3 passed" in in_ci.stdout


def test_an_own_server_out_of_reach_is_named_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nowhere = f"postgresql://postgres@/postgres?host={tmp_path / 'no-server-here'}"
    monkeypatch.setenv(OWN_SERVER_VARIABLE, nowhere)
    with pytest.raises(PostgresUnavailable) as refused, running_server():
        pass
    assert f"{OWN_SERVER_VARIABLE} names a PostgreSQL server that cannot be reached" in str(
        refused.value
    )
