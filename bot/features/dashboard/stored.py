"""Page snapshots kept in the database: what a restarted Plein serves at once.

A stored snapshot is served only when
- it was made under the same figures configuration and the same page model (`config_key`: the
  config sections the figures read, and the JSON schema of the page's model, so another
  language, timezone, ladder or goals, or a newer Plein whose pages changed, does not read it);
- no member opted out of the spotlight (or back in) or was forgotten since (`privacy_mark`), so
  nobody shows who asked not to be shown; a forget also deletes every stored snapshot;
- it is younger than STORED_MAX_AGE (a day): older figures would mislead more than a short
  "being computed" page.
Figures are stored as JSON through pydantic (never pickle: the database is not trusted to run
code); a row that does not decode is treated as absent.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.config import PleinConfig
from bot.features.dashboard.health_page import Health
from bot.features.dashboard.pages import (
    CalendarPage,
    MembersPage,
    Overview,
    PollsPage,
    StoriesPage,
)
from bot.features.dashboard.ports import SnapshotStore, StoredSnapshot
from bot.features.dashboard.snapshot import SERVED_AT_MOST, Snapshot

log = logging.getLogger("plein.dashboard")

STORED_MAX_AGE = SERVED_AT_MOST
FIGURE_SECTIONS = {
    "community",
    "goals",
    "onboarding",
    "calendar",
    "polls",
    "recognition",
    "spotlight",
    "report",
    "health",
    "privacy",
}
"""The config sections the page figures depend on (not the web port, tokens or storage URL, so
processes that differ only in those share their snapshots)."""

PAGE_MODELS: dict[str, TypeAdapter[Any]] = {
    "overview": TypeAdapter(Overview),
    "health": TypeAdapter(Health),
    "calendar": TypeAdapter(CalendarPage),
    "polls": TypeAdapter(PollsPage),
    "members": TypeAdapter(MembersPage),
    "stories": TypeAdapter(StoriesPage),
}


def config_key(config: PleinConfig, page: str) -> str:
    schema = PAGE_MODELS[page].json_schema(mode="serialization")
    text = config.model_dump_json(include=FIGURE_SECTIONS) + repr(sorted(schema.items()))
    return hashlib.sha256(text.encode()).hexdigest()


class StoredPages:
    def __init__(self, store: SnapshotStore, config: Callable[[], PleinConfig]) -> None:
        self.store = store
        self.config = config
        self._keys: dict[str, tuple[PleinConfig, str]] = {}

    def key(self, page: str) -> str:
        config = self.config()  # follows a reload; the key is computed once per config
        cached = self._keys.get(page)
        if cached is None or cached[0] is not config:
            cached = (config, config_key(config, page))
            self._keys[page] = cached
        return cached[1]

    async def mark(self) -> str:
        return await self.store.privacy_mark()

    async def load(
        self, page: str, mark: str, now: datetime, newer_than: datetime | None = None
    ) -> Snapshot | None:
        """The stored snapshot if it may be served (and is newer than `newer_than`)."""
        stored = await self.store.load(page)
        if stored is None or stored.config_key != self.key(page) or stored.privacy_mark != mark:
            return None
        if newer_than is not None and stored.computed_at <= newer_than:
            return None  # not decoded again: it is the one held already
        if not timedelta(0) <= now - stored.computed_at < STORED_MAX_AGE:
            return None
        try:
            data = PAGE_MODELS[page].validate_json(stored.data)
        except ValidationError:
            log.warning("dashboard: the stored %s figures do not decode; computing them", page)
            return None
        return Snapshot(data, stored.computed_at, mark)

    async def save(self, page: str, snapshot: Snapshot) -> None:
        data = PAGE_MODELS[page].dump_json(snapshot.data).decode()
        await self.store.save(
            StoredSnapshot(page, self.key(page), snapshot.mark, snapshot.as_of, data)
        )
