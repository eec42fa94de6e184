from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, parse_config
from bot.features.onboarding.timing import in_quiet_hours, outside_quiet_hours

MINIMAL = '[community]\nname = "Testclub"\n[onboarding]\n'
AMS = ZoneInfo("Europe/Amsterdam")


def problems(onboarding: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(MINIMAL + onboarding, "club.toml", {})
    return info.value.lines()


def test_empty_question_names_the_key_path() -> None:
    [line] = problems('questions = [{ id = "city", text = "  " }]')
    assert line.startswith("club.toml:4: onboarding.questions[1].text: the question is empty")


def test_choice_question_without_choices() -> None:
    [line] = problems(
        'questions = [{ id = "a", text = "A?" }, { id = "b", text = "B?", kind = "choice" }]'
    )
    assert line.startswith("club.toml:4: onboarding.questions[2]: a choice question needs choices")


def test_negative_and_zero_delays() -> None:
    [line] = problems('followups = [{ after = "-7d", text = "Hi" }]')
    assert line.startswith("club.toml:4: onboarding.followups[1].after: duration '-7d' is negative")
    [line] = problems('followups = [{ after = "0s", text = "Hi" }]')
    assert line.startswith("club.toml:4: onboarding.followups[1].after: the delay must be positive")


def test_unknown_template_fields() -> None:
    [line] = problems('welcome = "Hoi {naam}"')
    assert line.startswith("club.toml:4: onboarding.welcome: unknown template field '{naam}'")
    assert "{member}" in line
    [line] = problems('followups = [{ after = "7d", text = "Hi {member_count}" }]')
    assert line.startswith("club.toml:4: onboarding.followups[1].text: unknown template field")
    [line] = problems('intro = "Hoi {member"')
    assert line.startswith("club.toml:4: onboarding.intro: cannot read template")


def test_other_onboarding_mistakes() -> None:
    [line] = problems('only_if = "x"')
    assert "onboarding.only_if: unknown key" in line
    [line] = problems('followups = [{ after = "7d", text = "Hi", only_if = "lurker" }]')
    assert line.startswith("club.toml:4: onboarding.followups[1].only_if: must be one of")
    [line] = problems('questions = [{ id = "a", text = "A?" }, { id = "a", text = "B?" }]')
    assert "question id 'a' is used twice" in line
    [line] = problems("require_rules_acceptance = true")
    assert "no rules are listed" in line
    [line] = problems('quiet_hours = { start = "25:00" }')
    assert line.startswith("club.toml:4: onboarding.quiet_hours.start: cannot read time")
    assert (
        len(
            problems(
                "questions = ["
                + ", ".join(f'{{ id = "q{n}", text = "Q?" }}' for n in range(7))
                + "]"
            )
        )
        == 1
    )


def test_quiet_hours_push_to_the_local_morning() -> None:
    start, end = time(21, 0), time(9, 0)
    late = datetime(2026, 3, 30, 23, 30, tzinfo=AMS)
    assert in_quiet_hours(late, AMS, start, end)
    assert outside_quiet_hours(late, AMS, start, end) == datetime(2026, 3, 31, 9, 0, tzinfo=AMS)
    early = datetime(2026, 3, 31, 3, 0, tzinfo=AMS)
    assert outside_quiet_hours(early, AMS, start, end) == datetime(2026, 3, 31, 9, 0, tzinfo=AMS)
    noon = datetime(2026, 3, 31, 12, 0, tzinfo=AMS)
    assert outside_quiet_hours(noon, AMS, start, end) == noon
    # A window within one day, and an empty window.
    assert in_quiet_hours(datetime(2026, 1, 1, 13, 0, tzinfo=AMS), AMS, time(12), time(14))
    assert not in_quiet_hours(late, AMS, time(9), time(9))
    # Across the spring-forward night the morning is still 09:00 local.
    dst = datetime(2026, 3, 29, 1, 0, tzinfo=AMS)
    assert outside_quiet_hours(dst, AMS, start, end).astimezone(AMS).hour == 9
