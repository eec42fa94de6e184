"""The privacy feature (filled in by its issue)."""

from __future__ import annotations

from bot.kit import Kit


def install(kit: Kit, store: object | None) -> object | None:
    return None
