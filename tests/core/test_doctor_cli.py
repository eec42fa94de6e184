"""`plein doctor` from the command line: the database check on every platform, exit 0 only when
everything passes, and an unreachable platform is one line, never a traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.cli import main

CONFIG = """
[community]
name = "Buurtclub"
language = "en"
timezone = "Europe/Amsterdam"
managers = ["anna"]
"""


@pytest.fixture
def community(tmp_path: Path, empty_storage_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "plein.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("PLEIN_STORAGE__URL", empty_storage_url)
    return config


def test_a_console_community_needs_a_migrated_database(
    community: Path, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor", "--config", str(community)]) == 1
    out = capsys.readouterr().out.splitlines()
    why = "database file " if backend == "sqlite" else "database is empty, not yet migrated to "
    assert out[0].startswith(f"TO DO  Database reachable and migrated: {why}")
    assert "'plein db upgrade' creates and migrates the database" in out[0]
    assert out[-1] == "1 check needs attention."
    assert main(["db", "upgrade", "--config", str(community)]) == 0
    capsys.readouterr()
    assert main(["doctor", "--config", str(community)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "OK     Database reachable and migrated",
        "All checks passed.",
    ]


def test_discord_out_of_reach_is_one_line(
    community: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PLEIN_DISCORD__TOKEN", "some-token")
    monkeypatch.setenv("PLEIN_DISCORD__API_BASE_URL", f"http://127.0.0.1:{port}/api/v10")
    assert main(["doctor", "--config", str(community)]) == 1
    captured = capsys.readouterr()
    first = captured.out.splitlines()[0]
    assert first.startswith("TO DO  Discord token valid: cannot reach Discord at http://127.0.0.1:")
    assert "Traceback" not in captured.err
    assert "some-token" not in captured.out
