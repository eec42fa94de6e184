"""`plein init` driven through the real command line, the way a community manager uses it."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from bot.config import example_text, parse_config

ROOT = Path(__file__).resolve().parents[2]

DUTCH_ANSWERS = [
    "nl",
    "",  # name is required: asked again
    "Wandelclub De Heuvelrug",
    "Samen wandelen, elke week een stukje verder.",
    "Europe/Amsterdm",  # typo: asked again
    "Europe/Amsterdam",
    "slack",
    "U01ANNA, U02BRAM",
    "",  # welcome channel: the suggestion
    "#wandelen",
    "",
    "Routes",
    "U03CAR",  # one host: asked again
    "U03CAR, U04DIRK",
    "Welke route liep je laatst?",
    "Natuur",
    "U05EVA, U06FLO",
    "",  # the suggested first question
    "Uitrusting",
    "U01ANNA, U06FLO",
    "Welke schoenen raad je aan?",
    "99",  # not a goal number: asked again
    "2, 9",
    "",  # the suggested target
    "40",
]
ENGLISH_ANSWERS = [
    "english",
    "Night Sky Club",
    "",
    "UTC",
    "console",
    "mira",
    "",
    "",
    "",
    "Planets",
    "mira, noor",
    "",
    "Comets",
    "olle, pim",
    "Which comet did you see?",
    "",  # no third theme
    "",  # the suggested goals
    "",
    "",
]


def plein(
    *args: str, cwd: Path, answers: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's code, not an installed copy
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input="".join(f"{a}\n" for a in answers) if answers is not None else "",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_a_dutch_manager_answers_and_gets_a_short_valid_file(tmp_path: Path) -> None:
    result = plein("init", cwd=tmp_path, answers=DUTCH_ANSWERS)
    assert result.returncode == 0, result.stderr
    assert "Hoe heet jullie community?" in result.stdout
    assert "Geef alsjeblieft een antwoord." in result.stdout
    assert "De tijdzone 'Europe/Amsterdm' ken ik niet" in result.stdout
    assert "Geef twee namen, gescheiden door een komma." in result.stdout
    assert "Kies één of twee nummers uit de lijst." in result.stdout
    text = (tmp_path / "plein.toml").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 100
    assert "# Plein voor Wandelclub De Heuvelrug" in text and "README" in text
    assert "PLEIN_SLACK__BOT_TOKEN" in text and "xoxb" not in text
    checked = plein("check-config", "plein.toml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    config = parse_config(text, "plein.toml", {})
    assert config.community.name == "Wandelclub De Heuvelrug"
    assert config.community.language == "nl" and config.community.timezone == "Europe/Amsterdam"
    assert config.community.managers == ["U01ANNA", "U02BRAM"]
    assert (config.community.welcome_channel, config.community.default_channel) == (
        "welkom",
        "wandelen",
    )
    assert config.community.managers_channel == "bestuur"
    themes = config.calendar.themes
    assert [t.name for t in themes] == ["Routes", "Natuur", "Uitrusting"]
    assert [t.hosts for t in themes][0] == ["U03CAR", "U04DIRK"]
    assert themes[1].prompts[0].text == "Wat vind jij het leukst aan Natuur?"
    assert [(g.metric, g.target) for g in config.goals.targets] == [
        ("active_members", 10),
        ("poll_participation", 40),
    ]
    assert config.calendar.slots[0].theme == "rotate"
    assert "plein slack manifest --config" in result.stdout


def test_an_english_manager_with_two_themes_and_a_console(tmp_path: Path) -> None:
    result = plein("init", "club", cwd=tmp_path, answers=ENGLISH_ANSWERS)
    assert result.returncode == 0, result.stderr
    assert "What is your community called?" in result.stdout
    assert "plein run --config" in result.stdout
    text = (tmp_path / "club" / "plein.toml").read_text(encoding="utf-8")
    assert "# Plein for Night Sky Club" in text and "mission" not in text.split("[community]")[1]
    assert plein("check-config", "club/plein.toml", cwd=tmp_path).returncode == 0
    config = parse_config(text, "plein.toml", {})
    assert config.community.language == "en" and config.community.timezone == "UTC"
    assert config.community.welcome_channel == "welcome"
    assert [t.name for t in config.calendar.themes] == ["Planets", "Comets"]
    assert [g.metric for g in config.goals.targets] == ["new_members", "active_share"]
    assert "[discord]" not in text and "[slack]" not in text


def test_answers_that_stop_early_write_nothing(tmp_path: Path) -> None:
    result = plein("init", cwd=tmp_path, answers=["en", "Half done"])
    assert result.returncode == 1
    assert "plein init --yes" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "plein.toml").exists()


def test_yes_writes_a_minimal_valid_file_without_questions(tmp_path: Path) -> None:
    result = plein("init", "--yes", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "?" not in result.stdout  # no question was asked
    text = (tmp_path / "plein.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert set(data) == {"community"}
    assert data["community"]["language"] == "nl" and data["community"]["managers"] == ["beheerder"]
    assert plein("check-config", "plein.toml", cwd=tmp_path).returncode == 0
    english = plein("init", "en-club", "--yes", "--language", "en", cwd=tmp_path)
    assert english.returncode == 0
    assert 'language = "en"' in (tmp_path / "en-club" / "plein.toml").read_text(encoding="utf-8")


def test_example_keeps_the_full_reference(tmp_path: Path) -> None:
    assert plein("init", "--example", cwd=tmp_path).returncode == 0
    assert (tmp_path / "plein.toml").read_text(encoding="utf-8") == example_text()


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    (tmp_path / "plein.toml").write_text("# my careful work\n", encoding="utf-8")
    refused = plein("init", "--yes", cwd=tmp_path)
    assert refused.returncode == 1 and "--force" in refused.stderr
    asked = plein("init", cwd=tmp_path, answers=ENGLISH_ANSWERS)
    assert asked.returncode == 1 and "Taal" not in asked.stdout  # refused before any question
    assert (tmp_path / "plein.toml").read_text(encoding="utf-8") == "# my careful work\n"
    forced = plein("init", "--yes", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert "[community]" in (tmp_path / "plein.toml").read_text(encoding="utf-8")


def test_the_system_timezone_is_read_from_settings_not_the_clock(tmp_path: Path) -> None:
    from bot.setup.answers import DEFAULT_TIMEZONE, system_timezone

    zone = tmp_path / "timezone"
    zone.write_text("Not/AZone\n")
    assert system_timezone(zone) in (DEFAULT_TIMEZONE, system_timezone(tmp_path / "none"))
    result = plein("init", "--yes", cwd=tmp_path, answers=[])
    written = tomllib.loads((tmp_path / "plein.toml").read_text(encoding="utf-8"))
    assert result.returncode == 0
    assert written["community"]["timezone"] == system_timezone()
