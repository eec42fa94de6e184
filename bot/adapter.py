"""What the composition root expects of an adapter (console, Discord, Slack)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.gateway import Gateway

if TYPE_CHECKING:
    from bot.app import Plein


class Adapter(Gateway, Protocol):
    name: str

    async def run(self, plein: Plein) -> None:
        """Connect, feed events to `plein.dispatch`, call `plein.ready()` once connected, and
        return when the platform session ends (or the console script is done)."""

    async def stop(self) -> None:
        """Stop taking events; the composition root then flushes and closes the rest."""
