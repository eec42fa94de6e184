"""The dashboard's translators: its own texts, the core ones, and the report's (the health chart
is labelled by the report's `chart_labels`, so the web and the chat say the same)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.i18n import Translator, load_catalogs
from bot.locales import report as report_messages
from bot.locales import report_health
from bot.locales.core import MESSAGES as CORE_MESSAGES
from bot.locales.dashboard import MESSAGES


@dataclass
class Translators:
    tz: ZoneInfo
    _made: dict[str, Translator] = field(default_factory=dict)

    def __call__(self, language: str) -> Translator:
        if language not in self._made:
            catalogs = load_catalogs(
                [
                    ("core", CORE_MESSAGES),
                    ("report", report_messages.MESSAGES),
                    ("report_health", report_health.MESSAGES),
                    ("dashboard", MESSAGES),
                ]
            )
            self._made[language] = Translator(language, catalogs, timezone=self.tz)
        return self._made[language]
