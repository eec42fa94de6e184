"""`plein init`'s questions, asked in the terminal in Dutch or English (the first question).

Every question shows its suggestion in [brackets]; Enter takes it. A wrong answer gets a short
explanation and the same question again. No storage, no platform: only answers come out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config.goals import Metric
from bot.i18n import Translator
from bot.setup.answers import (
    CHANNELS,
    DEFAULT_MANAGER,
    PLATFORMS,
    SUGGESTED_TARGETS,
    Answers,
    GoalAnswer,
    ThemeAnswer,
)

T = TypeVar("T")
METRICS: tuple[str, ...] = get_args(Metric)
LANGUAGE_WORDS = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "english": "en",
    "engels": "en",
}
SUGGESTED_GOALS = ("new_members", "active_share")


class Invalid(ValueError):
    """The answer cannot be used; the message (already translated) says why."""


class AnswersEnded(Exception):
    """The input ended before the last question: nothing is written."""


class Wizard:
    def __init__(
        self,
        read: Callable[[str], str],
        say: Callable[[str], None],
        system_timezone: str,
    ) -> None:
        self._read = read
        self._say = say
        self._timezone = system_timezone
        self.t = Translator("en")

    def ask(self, question: str, parse: Callable[[str], T], default: str = "") -> T:
        prompt = f"{question} [{default}]: " if default else f"{question}: "
        while True:
            try:
                raw = self._read(prompt)
            except EOFError:
                raise AnswersEnded from None
            answer = raw.strip() or default
            try:
                return parse(answer)
            except Invalid as problem:
                self._say(str(problem))

    def run(self) -> Answers:
        language = self.ask(self.t("setup.ask.language"), self._language, "nl")
        self.t = Translator(language)
        t = self.t
        self._say(t("setup.intro"))
        channels = CHANNELS[language]
        name = self.ask(t("setup.ask.name"), self._required)
        mission = self.ask(t("setup.ask.mission"), str)
        timezone = self.ask(t("setup.ask.timezone"), self._zone, self._timezone)
        platform = self.ask(t("setup.ask.platform"), self._choice(PLATFORMS), "console")
        managers = self.ask(t("setup.ask.managers"), self._names, DEFAULT_MANAGER[language])
        welcome = self.ask(t("setup.ask.welcome_channel"), self._channel, channels["welcome"])
        default = self.ask(t("setup.ask.default_channel"), self._channel, channels["default"])
        board = self.ask(t("setup.ask.managers_channel"), self._channel, channels["managers"])
        themes = self._themes()
        goals = self._goals()
        return Answers(
            language=language,
            name=name,
            mission=mission,
            timezone=timezone,
            platform=platform,
            managers=managers,
            welcome_channel=welcome,
            default_channel=default,
            managers_channel=board,
            themes=themes,
            goals=goals,
        )

    def _themes(self) -> tuple[ThemeAnswer, ...]:
        t = self.t
        self._say(t("setup.themes"))
        themes: list[ThemeAnswer] = []
        for number in (1, 2, 3):
            if number < 3:
                name = self.ask(t("setup.ask.theme", number=number), self._required)
            else:
                name = self.ask(t("setup.ask.theme_optional", number=number), str)
                if not name:
                    break
            hosts = self.ask(t("setup.ask.hosts", theme=name), self._two_names)
            prompt = self.ask(
                t("setup.ask.prompt", theme=name),
                self._required,
                t("setup.default.prompt", theme=name),
            )
            themes.append(ThemeAnswer(name, hosts, prompt))
        return tuple(themes)

    def _goals(self) -> tuple[GoalAnswer, ...]:
        t = self.t
        self._say(t("setup.goals"))
        for number, metric in enumerate(METRICS, start=1):
            self._say(t("setup.goal.line", number=number, description=t(f"setup.metric.{metric}")))
        suggestion = ",".join(str(METRICS.index(m) + 1) for m in SUGGESTED_GOALS)
        picked = self.ask(t("setup.ask.goals"), self._goal_numbers, suggestion)
        goals: list[GoalAnswer] = []
        for metric in picked:
            name = goal_name(t(f"setup.metric.{metric}"))
            target = self.ask(
                t("setup.ask.target", goal=name), self._target, f"{SUGGESTED_TARGETS[metric]:g}"
            )
            goals.append(GoalAnswer(name, metric, target))
        return tuple(goals)

    # Parsers: the answer as a value, or Invalid with what to type instead.

    def _language(self, answer: str) -> str:
        language = LANGUAGE_WORDS.get(answer.lower())
        if language is None:
            raise Invalid(self.t("setup.invalid.choice", allowed="nl, en"))
        return language

    def _required(self, answer: str) -> str:
        if not answer:
            raise Invalid(self.t("setup.invalid.required"))
        return answer

    def _zone(self, answer: str) -> str:
        try:
            ZoneInfo(answer)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(self.t("setup.invalid.timezone", value=answer)) from None
        return answer

    def _choice(self, allowed: tuple[str, ...]) -> Callable[[str], str]:
        def parse(answer: str) -> str:
            if answer.lower() not in allowed:
                raise Invalid(self.t("setup.invalid.choice", allowed=", ".join(allowed)))
            return answer.lower()

        return parse

    def _names(self, answer: str) -> tuple[str, ...]:
        names = tuple(part.strip().lstrip("@") for part in answer.split(",") if part.strip())
        if not names:
            raise Invalid(self.t("setup.invalid.required"))
        return names

    def _two_names(self, answer: str) -> tuple[str, str]:
        names = self._names(answer) if answer else ()
        if len(names) != 2 or names[0] == names[1]:
            raise Invalid(self.t("setup.invalid.hosts"))
        return names[0], names[1]

    def _channel(self, answer: str) -> str:
        return self._required(answer.lstrip("#"))

    def _goal_numbers(self, answer: str) -> tuple[str, ...]:
        parts = [part.strip() for part in re.split(r"[,\s]+", answer) if part.strip()]
        if not 1 <= len(parts) <= 2 or not all(p.isdigit() for p in parts):
            raise Invalid(self.t("setup.invalid.goals"))
        numbers = [int(p) for p in parts]
        if len(set(numbers)) != len(numbers) or not all(1 <= n <= len(METRICS) for n in numbers):
            raise Invalid(self.t("setup.invalid.goals"))
        return tuple(METRICS[n - 1] for n in numbers)

    def _target(self, answer: str) -> float:
        try:
            value = float(answer.replace(",", "."))
        except ValueError:
            raise Invalid(self.t("setup.invalid.number")) from None
        if not value >= 0 or value == float("inf"):
            raise Invalid(self.t("setup.invalid.number"))
        return value


def goal_name(description: str) -> str:
    """'new members (number per week)' -> 'New members'."""
    short = re.sub(r"\s*\(.*\)$", "", description)
    return short[:1].upper() + short[1:]
