"""Bounded retries for transient storage faults (a locked SQLite file, a reset connection).

Everything else (disk full, a missing table, a refused login) fails at once: retrying would only
delay the loud failure. The pause is injectable so a test can release a lock between attempts
without sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from bot.health import StorageUnavailable

T = TypeVar("T")

TRANSIENT_MARKERS = (
    "database is locked",
    "database table is locked",
    "database schema has changed",
    "connection reset",
    "connection was closed",
    "connection is closed",
    "connection refused",
    "server closed the connection",
    "terminating connection",
    "could not serialize access",
    "deadlock detected",
)


def is_transient(error: BaseException) -> bool:
    """True for faults that a moment's wait usually cures."""
    if isinstance(error, ConnectionError):
        return True
    if getattr(error, "connection_invalidated", False):
        return True
    text = f"{error} {getattr(error, 'orig', '')}".lower()
    return any(marker in text for marker in TRANSIENT_MARKERS)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    first_pause: float = 0.05
    max_pause: float = 1.0
    pause: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep)

    def pauses(self) -> list[float]:
        """The waits between attempts: doubling from `first_pause`, capped at `max_pause`."""
        return [min(self.max_pause, self.first_pause * 2**i) for i in range(self.attempts - 1)]


async def retrying(operation: Callable[[], Awaitable[T]], policy: RetryPolicy) -> T:
    """Run `operation`; on a transient StorageUnavailable wait and try again, at most
    `policy.attempts` times in all. The last failure (or a permanent one) is raised."""
    for wait in policy.pauses():
        try:
            return await operation()
        except StorageUnavailable as error:
            if not error.transient:
                raise
        await policy.pause(wait)
    return await operation()
