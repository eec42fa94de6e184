from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, example_text, load_config, parse_config

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = '[community]\nname = "Testclub"\n'


def problems(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "club.toml", env or {})
    return info.value.lines()


def test_example_validates_and_is_the_packaged_default() -> None:
    config = parse_config((ROOT / "config.example.toml").read_text(), "config.example.toml", {})
    assert config.community.language == "nl"
    assert example_text() == (ROOT / "config.example.toml").read_text()


def test_unknown_key_names_path_and_suggests() -> None:
    [line] = problems(MINIMAL + 'timezon = "UTC"\n')
    assert line.startswith("club.toml:3: community.timezon: unknown key; did you mean 'timezone'?")


def test_unknown_section_is_rejected() -> None:
    [line] = problems(MINIMAL + "[polss]\nenabled = true\n")
    assert "club.toml:3: polss: unknown key; did you mean 'polls'?" in line


def test_bad_timezone() -> None:
    [line] = problems(MINIMAL + 'timezone = "Europe/Amsterdm"\n')
    assert line.startswith("club.toml:3: community.timezone: unknown timezone 'Europe/Amsterdm'")


def test_bad_language_lists_what_is_allowed() -> None:
    [line] = problems(MINIMAL + 'language = "de"\n')
    assert line == "club.toml:3: community.language: must be one of 'nl' or 'en'"


def test_toml_syntax_error_shows_the_line() -> None:
    [line] = problems(MINIMAL + "mission = \n")
    assert line.startswith("club.toml:3: TOML syntax error:") and "line 3" in line


def test_every_error_is_reported_at_once() -> None:
    lines = problems(MINIMAL + 'timezone = "Nowhere/Land"\nlanguage = "fr"\ncolour = 1\n')
    assert len(lines) == 3


def test_missing_community_name() -> None:
    [line] = problems("[community]\n")
    assert line == "club.toml:1: community.name: required key is missing"


def test_environment_overrides_file_and_secrets_stay_secret() -> None:
    env = {"PLEIN_DISCORD__TOKEN": "sekrit-token-123", "PLEIN_COMMUNITY__LANGUAGE": "en"}
    config = parse_config(MINIMAL, "club.toml", env)
    assert config.community.language == "en"
    assert config.discord.token is not None
    assert config.discord.token.get_secret_value() == "sekrit-token-123"
    assert "sekrit" not in repr(config) and "sekrit" not in str(config.model_dump())


def test_bad_env_value_never_echoes_a_secret() -> None:
    env = {"PLEIN_SLACK__PORT": "sekrit-not-a-port"}
    lines = problems(MINIMAL, env)
    assert lines and all("sekrit" not in line for line in lines)


def test_connection_keys_have_documented_defaults() -> None:
    config = parse_config(MINIMAL, "club.toml", {})
    assert config.discord.api_base_url == "https://discord.com/api/v10"
    assert config.discord.gateway_url == "wss://gateway.discord.gg"
    assert config.slack.api_base_url == "https://slack.com/api/"
    assert config.slack.mode == "socket"
    assert config.storage.url.startswith("sqlite:///")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.toml")
    assert "file not found" in str(info.value)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's code, not an installed copy
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_check_config_cli_exit_codes(tmp_path: Path) -> None:
    ok = run_cli("check-config", str(ROOT / "config.example.toml"), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    cases = {
        "unknown.toml": (MINIMAL + "nmae = 1\n", "community.nmae: unknown key"),
        "tz.toml": (
            MINIMAL + 'timezone = "Mars/Olympus"\n',
            "community.timezone: unknown timezone",
        ),
        "syntax.toml": (MINIMAL + "name = = 2\n", "line 3"),
    }
    for filename, (text, expected) in cases.items():
        (tmp_path / filename).write_text(text)
        result = run_cli("check-config", filename, cwd=tmp_path)
        assert result.returncode == 2, (filename, result.stdout, result.stderr)
        assert result.stderr.startswith(f"{filename}:3: ") and expected in result.stderr


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    assert run_cli("init", "club", "--example", cwd=tmp_path).returncode == 0
    assert run_cli("check-config", "club/plein.toml", cwd=tmp_path).returncode == 0
    assert run_cli("init", "club", "--example", cwd=tmp_path).returncode == 1


def test_run_refuses_a_bad_config_with_the_same_message(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(MINIMAL + 'timezone = "Mars/Olympus"\n')
    checked = run_cli("check-config", "bad.toml", cwd=tmp_path)
    ran = run_cli("run", "--config", "bad.toml", "--script", "-", cwd=tmp_path)
    assert ran.returncode == 2 and ran.stderr == checked.stderr


FOUR_SLOTS = """
[[calendar.themes]]
name = "Vogels"
prompts = [{ type = "question", text = "Welke vogel zag je?" }]

[[calendar.slots]]
when = "mon 09:00"

[[calendar.slots]]
when = "tue 09:00"

[[calendar.slots]]
when = "wed 09:00"

[[calendar.slots]]
when = "{when}"
"""


def test_positions_count_from_one_and_name_the_toml_line() -> None:
    text = MINIMAL + 'language = "en"\n' + FOUR_SLOTS.replace("{when}", "61 9 * * *")
    [line] = problems(text)
    written = text.splitlines().index('when = "61 9 * * *"') + 1
    assert line == f"club.toml:{written}: calendar.slots[4].when: minute 61 is out of range 0-59"


def test_cron_mistakes_in_plain_words_in_the_communitys_language() -> None:
    cases = {
        "0 24 * * *": ("hour 24 is out of range 0-23", "uur 24 valt buiten het bereik 0-23"),
        "0 9 * 13 *": ("month 13 is out of range 1-12", "maand 13 valt buiten het bereik 1-12"),
        "0 9 * * 8": (
            "day of the week 8 is out of range 0-7",
            "dag van de week 8 valt buiten het bereik 0-7",
        ),
        "0 22-8 * * *": ("the hour range 22-8 runs backwards", "het bereik 22-8 bij uur"),
        "*/0 9 * * *": ("the step 0 in the minute field", "de stap 0 bij minuut"),
        "0 9 * * blursday": ("cannot read 'blursday' in the day of the week field", "'blursday'"),
    }
    for cron, (english, dutch) in cases.items():
        for language, expected in (("en", english), ("nl", dutch)):
            text = MINIMAL + f'language = "{language}"\n[report]\nwhen = "{cron}"\n'
            [line] = problems(text)
            assert line.startswith("club.toml:5: report.when: ") and expected in line, line


def test_a_bad_cron_is_not_hidden_behind_a_bad_timezone() -> None:
    text = (
        MINIMAL
        + 'timezone = "Mars/Olympus"\n'
        + FOUR_SLOTS.replace("{when}", "61 9 * * *")
        + '[recognition]\ndaily_at = "0 25 * * *"\n'
    )
    lines = problems(text)
    assert [line.split(": ")[1] for line in lines] == [
        "community.timezone",
        "calendar.slots[4].when",
        "recognition.daily_at",
    ]
    assert "minute 61 is out of range 0-59" in lines[1]
    assert "hour 25 is out of range 0-23" in lines[2]


def test_inline_tables_and_cross_checks_point_at_their_lines(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "[onboarding]\nquestions = [\n"
        + '  { id = "a", text = "Waar woon je?" },\n'
        + '  { id = "b", text = "  " },\n'
        + "]\n"
    )
    [line] = problems(text)
    assert line.startswith("club.toml:6: onboarding.questions[2].text: ")
    (tmp_path / "plein.toml").write_text(
        MINIMAL + FOUR_SLOTS.replace("{when}", "thu 09:00") + 'theme = "Bomen"\n'
    )
    result = run_cli("check-config", "plein.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("plein.toml:19: calendar.slots[4].theme: unknown theme 'Bomen'")
