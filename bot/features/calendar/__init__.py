"""The calendar feature (filled in by its issue)."""

from __future__ import annotations

from bot.features.api import PollPublisher, StorySource
from bot.kit import Kit


def install(
    kit: Kit,
    store: object | None,
    *,
    polls: PollPublisher | None = None,
    stories: StorySource | None = None,
) -> object | None:
    return None
