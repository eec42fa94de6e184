"""bench/dashboard.py runs (at a tiny size) so it never rots; its figures are not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import dashboard


def test_dashboard_benchmark_runs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ["--size", "300/5k", "--runs", "2", "--cache", str(tmp_path)]
    assert dashboard.main(args) == 0
    out = capsys.readouterr().out
    assert "steady state" in out and "after a restart" in out and "never-started" in out
    assert "filled in" in out
    assert dashboard.main(args) == 0  # the second run reuses the filled database
    assert "reused from the cache" in capsys.readouterr().out
