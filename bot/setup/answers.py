"""What a community manager told `plein init`, and the defaults for what they did not."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

PLATFORMS = ("console", "discord", "slack")
DEFAULT_TIMEZONE = "Europe/Amsterdam"
DEFAULT_SLOT = "mon 19:00"
# A suggested weekly target per metric: counts for counted metrics, percentages for shares.
SUGGESTED_TARGETS: dict[str, float] = {
    "new_members": 5,
    "active_members": 10,
    "active_share": 30,
    "welcome_completion": 60,
    "rules_acceptance": 80,
    "newcomer_activation": 50,
    "creators_share": 10,
    "prompt_answers": 10,
    "poll_participation": 25,
    "kudos_given": 10,
    "median_first_response": 120,
    "answered_share": 80,
    "newcomer_connected_share": 50,
    "retention_week4": 40,
}
CHANNELS = {
    "nl": {"welcome": "welkom", "default": "algemeen", "managers": "bestuur"},
    "en": {"welcome": "welcome", "default": "general", "managers": "managers"},
}
DEFAULT_NAME = {"nl": "Mijn community", "en": "My community"}
DEFAULT_MANAGER = {"nl": "beheerder", "en": "manager"}


@dataclass(frozen=True)
class ThemeAnswer:
    name: str
    hosts: tuple[str, str]
    prompt: str


@dataclass(frozen=True)
class GoalAnswer:
    name: str
    metric: str
    target: float


@dataclass(frozen=True)
class Answers:
    language: str
    name: str
    timezone: str
    mission: str = ""
    platform: str = "console"
    managers: tuple[str, ...] = ()
    welcome_channel: str = ""
    default_channel: str = ""
    managers_channel: str = ""
    themes: tuple[ThemeAnswer, ...] = field(default_factory=tuple)
    goals: tuple[GoalAnswer, ...] = field(default_factory=tuple)


def minimal_answers(language: str, timezone: str) -> Answers:
    """`plein init --yes`: a valid community with no questions asked."""
    channels = CHANNELS[language]
    return Answers(
        language=language,
        name=DEFAULT_NAME[language],
        timezone=timezone,
        managers=(DEFAULT_MANAGER[language],),
        welcome_channel=channels["welcome"],
        default_channel=channels["default"],
        managers_channel=channels["managers"],
    )


def system_timezone(etc_timezone: Path = Path("/etc/timezone")) -> str:
    """The machine's named timezone (read from its settings, not from the clock), else Amsterdam."""
    from zoneinfo import ZoneInfo

    import tzlocal

    candidates: list[str] = []
    with contextlib.suppress(Exception):  # tzlocal raises several kinds on odd systems
        candidates.append(tzlocal.get_localzone_name() or "")
    with contextlib.suppress(OSError):
        candidates.append(etc_timezone.read_text(encoding="utf-8").strip())
    for name in candidates:
        if "/" in name or name == "UTC":
            try:
                ZoneInfo(name)
            except (ValueError, KeyError, OSError):
                continue
            return name
    return DEFAULT_TIMEZONE
