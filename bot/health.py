"""Readiness: named checks that each say what is wrong, or nothing.

The composition root adds the database, platform and scheduler checks; other parts (the durable
inbox, a storage failure flag) add their own with `add`. The web port's /readyz runs them all.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("plein.health")

Check = Callable[[], Awaitable[str | None]]
"""Returns None when this part is ready, else a short reason for the operator."""

CHECK_SECONDS = 5.0
"""A check that takes longer than this counts as failed (a hung database is not ready)."""


class Health:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def add(self, name: str, check: Check) -> None:
        if name in self._checks:
            raise ValueError(f"health check {name!r} added twice")
        self._checks[name] = check

    @property
    def names(self) -> list[str]:
        return list(self._checks)

    async def problems(self) -> dict[str, str]:
        """Every failing check with its reason; empty when ready."""
        found: dict[str, str] = {}
        for name, check in self._checks.items():
            try:
                reason = await asyncio.wait_for(check(), CHECK_SECONDS)
            except TimeoutError:
                reason = f"no answer within {CHECK_SECONDS:g}s"
            except Exception as exc:
                log.warning("health check %s failed", name, exc_info=True)
                reason = f"check failed: {type(exc).__name__}: {exc}"
            if reason is not None:
                found[name] = reason
        return found
