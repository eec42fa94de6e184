"""Readiness and the storage-failure stop.

Readiness: named checks that each say what is wrong, or nothing. The composition root adds the
database, platform and scheduler checks; other parts add their own with `add`. The web port's
/readyz runs them all.

Storage failure: false from the first storage failure until a restart. Storage reports a failure
(a write that failed for good, after the retries transient faults get); the dispatcher then
refuses new events, the console stops with one line and a non-zero exit, Slack's HTTP endpoint
answers 503 so the platform retries later, and /readyz reports it. Nothing is confirmed to a
member unless it was stored first, so stopping loses nothing that anyone was told.
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


class StorageUnavailable(Exception):
    """The database could not store (or read) what was asked; `transient` faults were retried."""

    def __init__(self, problem: str, *, transient: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.transient = transient


class Health:
    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}
        self.problem: str | None = None

    @property
    def healthy(self) -> bool:
        """False from the first storage failure until a restart."""
        return self.problem is None

    def fail(self, problem: str) -> None:
        """The first problem is the one reported; later ones are its consequences."""
        if self.problem is None:
            self.problem = problem
            log.error("storage failed; taking no new work", extra={"problem": problem})

    def add(self, name: str, check: Check) -> None:
        if name in self._checks:
            raise ValueError(f"health check {name!r} added twice")
        self._checks[name] = check

    @property
    def names(self) -> list[str]:
        return list(self._checks)

    async def problems(self) -> dict[str, str]:
        """Every failing check with its reason (and a storage failure); empty when ready."""
        found: dict[str, str] = {}
        if self.problem is not None:
            found["storage"] = self.problem
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
