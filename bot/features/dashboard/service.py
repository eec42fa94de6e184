"""The installed dashboard: what the web side (ops/dashboard) serves, in either language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config.dashboard import PAGES, PageName
from bot.features.dashboard.access import Access
from bot.features.dashboard.pages import PageFigures
from bot.features.dashboard.snapshots import Snapshot, Snapshots
from bot.features.dashboard.translators import Translators
from bot.i18n import LANGUAGES, Translator
from bot.kit import Kit


@dataclass
class Dashboard:
    kit: Kit
    access: Access
    figures: PageFigures
    snapshots: Snapshots
    translators: Translators

    pages: tuple[PageName, ...] = PAGES

    @property
    def language(self) -> str:
        return self.kit.config.community.language

    def translator(self, language: str | None) -> Translator:
        """The community's language unless the manager switched (nl and en both exist)."""
        chosen = language if language in LANGUAGES else self.language
        assert chosen is not None
        return self.translators(chosen)

    def now(self) -> datetime:
        return self.kit.clock.now()

    async def page(self, name: str, now: datetime, wait: float | None = None) -> Snapshot | None:
        """The page's figures as of their snapshot (at most `[dashboard] refresh` old); None
        while the first one is still being computed after `wait` seconds."""
        read = {
            "overview": self.figures.overview,
            "health": self.figures.health,
            "calendar": self.figures.calendar,
            "polls": self.figures.polls,
            "members": self.figures.members,
            "stories": self.figures.stories,
        }[name]
        return await self.snapshots.get(name, now, read, wait)
