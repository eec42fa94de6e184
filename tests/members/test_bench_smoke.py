"""The member-sync benchmark runs (tiny size) so it never rots. Its figures are not asserted."""

from __future__ import annotations

import pytest

from bench import member_sync


def test_member_sync_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert member_sync.main(["--members", "600", "--batch", "200"]) == 0
    out = capsys.readouterr().out
    assert "members/s" in out and "ratio to raw" in out and "peak memory" in out
    assert "600 present" in out  # 6 of the first 600 gone, 6 new
