"""What the composition root expects of an adapter (console, Discord, Slack)."""

from __future__ import annotations

from typing import Protocol

from bot.gateway import Gateway
from bot.host import Host


class Adapter(Gateway, Protocol):
    name: str

    async def run(self, host: Host) -> None:
        """Connect, feed events to `host.dispatch`, call `host.ready()` once connected, and
        return when the platform session ends (or the console script is done)."""

    async def stop(self) -> None:
        """Stop taking events; the composition root then flushes and closes the rest."""
