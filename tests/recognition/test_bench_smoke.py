"""The benchmarks run (tiny sizes) so they never rot. Their figures are not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import discord_ingest, ingest, leaderboard, report, slack_http, startup


def test_ingest_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert ingest.main(["--events", "3000", "--members", "50"]) == 0
    out = capsys.readouterr().out
    assert "events/s" in out and "ratio:" in out


def test_leaderboard_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert leaderboard.main(["--members", "300", "--contributions", "5000", "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "/top" in out and "/me" in out and "peak memory" in out


def test_discord_ingest_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert discord_ingest.main(["--sizes", "300/20", "--posts", "first,later"]) == 0
    out = capsys.readouterr().out
    assert out.count("ratio plein/plain") == 2 and "lost 0" in out


def test_discord_interactions_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--sizes", "300/20", "--posts", "later", "--interactions", "--stages"]
    assert discord_ingest.main(argv) == 0
    out = capsys.readouterr().out
    assert "interactions during the stream" in out and "never acknowledged: 0" in out
    assert "event loop lag" in out and "other write turns" in out


def test_startup_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert startup.main(["--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "plein run" in out and "python -c pass" in out


def test_report_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert report.main(["--members", "200", "--sizes", "2000", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "report figures" in out and "/report end to end" in out and "indexed COUNT" in out
    assert "weekly rows" in out and "from daily rows only" in out


def test_report_benchmark_keeps_its_database_in_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--members", "100", "--sizes", "500", "--runs", "1", "--cache", str(tmp_path)]
    assert report.main(args) == 0
    assert "kept in the cache" in capsys.readouterr().out
    (kept,) = tmp_path.glob("report-100m-500c-*.db")
    assert report.main(args) == 0
    assert "from the cache" in capsys.readouterr().out
    assert list(tmp_path.glob("report-*")) == [kept]


def test_slack_http_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert slack_http.main(["--rates", "40", "--seconds", "0.5"]) == 0
    out = capsys.readouterr().out
    assert " bare " in out and " plein " in out and "acked/s" in out and "refused" in out
    assert "done" in out and "backlog" in out  # processed per rate, and what is left
