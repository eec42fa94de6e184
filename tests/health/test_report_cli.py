"""`plein report --week ... --format md|csv|json|png`: one week's report from the database alone."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import example_text
from tests.support import ConsoleRun

SCRIPT = """
members anna:400d bob:300d
join carla
carla: hallo, ik ben carla
bob #vragen: waar begint de werkdag?
wait 3h
anna replies 3: bij het bezoekerscentrum
wait 7d
"""


@pytest.fixture
def community(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    run = ConsoleRun(db_path=tmp_path / "plein.db")
    asyncio.run(run.run(SCRIPT))
    config = tmp_path / "plein.toml"
    config.write_text(example_text(), encoding="utf-8")
    for key, value in run.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv(
        "PLEIN_STORAGE__URL", run.env.get("PLEIN_STORAGE__URL", f"sqlite:///{run.db_path}")
    )
    return config


def report(config: Path, fmt: str, tmp_path: Path, week: str = "2026-W13") -> bytes:
    out = tmp_path / f"report.{fmt}"
    assert (
        main(
            ["report", "--week", week, "--format", fmt, "--config", str(config), "--out", str(out)]
        )
        == 0
    )
    return out.read_bytes()


def test_every_format_of_one_week(community: Path, tmp_path: Path) -> None:
    data = json.loads(report(community, "json", tmp_path))
    assert data["week"] == "2026-W13"
    assert data["figures"]["first_day"] == "2026-03-23" and data["figures"]["new_members"] == 1
    asks = data["health"]["all_asks"]
    # bob's help question (answered after 3h), carla's unanswered first post, and the example
    # calendar's Monday question prompt that nobody answered (calendar prompts are asks too)
    assert (asks["due"], asks["answered_within"], asks["median_minutes"]) == (3, 1, 180.0)
    assert data["health"]["prompts"]["due"] == 1
    assert len(data["charts"]["heatmap"]) == 7 and data["charts"]["weeks"][-1] == "2026-03-23"
    text = report(community, "md", tmp_path).decode()
    assert text.startswith("# 📊 Weekrapport") and "- Snelle antwoorden: 1 van 3" in text
    csv = report(community, "csv", tmp_path).decode().splitlines()
    assert csv[0].startswith("week_start,week_end,members") and len(csv) == 13
    assert report(community, "png", tmp_path)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_week_that_is_not_one(community: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--week", "week 14", "--config", str(community)]) != 0
    assert "2026-W14" in capsys.readouterr().err
