"""`[onboarding] rules_vote_duration` is a poll's duration: outside 1m..32d the config is refused
at load, naming file, line and key in the community's language, not later at /rules propose."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config.loader import ConfigError, parse_config

HEAD = '[community]\nname = "De Groene Ring"\nlanguage = "{language}"\n\n[onboarding]\n'


@pytest.mark.parametrize(
    ("language", "duration", "message"),
    [
        ("en", "33d", "must be between 1m and 32d: a proposed rule is voted on in a poll"),
        ("nl", "60d", "moet tussen 1m en 32d liggen: over een voorgestelde regel wordt gestemd"),
        ("en", "30s", "a poll is open for at most 32 days"),
    ],
)
def test_a_vote_longer_than_a_poll_is_refused_at_load(
    language: str, duration: str, message: str
) -> None:
    text = HEAD.format(language=language) + f'rules_vote_duration = "{duration}"\n'
    with pytest.raises(ConfigError) as info:
        parse_config(text, "club.toml", {})
    [line] = info.value.lines()
    assert line.startswith("club.toml:6: onboarding.rules_vote_duration: ")
    assert message in line


def test_the_polls_maximum_itself_is_allowed() -> None:
    text = HEAD.format(language="nl") + 'rules_vote_duration = "32d"\n'
    assert parse_config(text, "club.toml", {}).onboarding.rules_vote_duration == timedelta(days=32)
