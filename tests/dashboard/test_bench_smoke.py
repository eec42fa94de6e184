"""bench/dashboard.py runs (at a tiny size) so it never rots; its figures are not asserted."""

from __future__ import annotations

import pytest

from bench import dashboard


def test_dashboard_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert dashboard.main(["--size", "300/5k", "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "overview" in out and "members" in out and "ratio overview/static" in out
