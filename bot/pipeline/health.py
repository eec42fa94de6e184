"""After a storage failure, no new work: an event that cannot be stored is better not taken."""

from __future__ import annotations

from bot.events import Event
from bot.health import Health


class RefuseWhenUnhealthy:
    def __init__(self, health: Health) -> None:
        self.health = health
        self.refused = 0

    def admits(self, event: Event) -> bool:
        if self.health.healthy:
            return True
        self.refused += 1
        return False
