"""The installed dashboard: what the web side (ops/dashboard) serves, in either language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config.dashboard import PAGES, PageName
from bot.features.dashboard.access import Access
from bot.features.dashboard.pages import PageFigures
from bot.features.dashboard.snapshots import Compute, Snapshot, Snapshots
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
        return await self.snapshots.get(name, now, self.reader(name), wait)

    def reader(self, name: str) -> Compute:
        return {
            "overview": self.figures.overview,
            "health": self.figures.health,
            "calendar": self.figures.calendar,
            "polls": self.figures.polls,
            "members": self.figures.members,
            "stories": self.figures.stories,
        }[name]

    def warm_up(self) -> None:
        """Start computing every page's figures in the background (the process serves the
        dashboard now): the overview first, the page a login lands on, then the members."""
        first = ("overview", "members")
        order = [*first, *(name for name in self.pages if name not in first)]
        self.snapshots.warm_up([(name, self.reader(name)) for name in order], self.now)
