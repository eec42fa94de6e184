"""bench/scale_out.py runs (tiny sizes, on the suite's PostgreSQL) so it never rots. Its figures
are not asserted."""

from __future__ import annotations

import pytest

from bench import scale_out


def test_scale_out_benchmark_runs(
    postgres_admin_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--events", "60", "--processes", "1,2", "--members", "300"]
    argv += ["--contributions", "5000", "--runs", "2", "--repeat", "1"]
    argv += ["--database-url", postgres_admin_url]
    assert scale_out.main(argv) == 0
    out = capsys.readouterr().out
    assert "1 process(es)" in out and "2 process(es)" in out and "CPU s per 1,000 events" in out
    assert "/top" in out and "/me" in out and "SQLite (baseline)" in out
