"""Whether Plein may take new work: false from the first storage failure until a restart.

Storage reports a failure (a write that failed for good, after the retries transient faults get);
the dispatcher then refuses new events, the console stops with one line and a non-zero exit, and
Slack's HTTP endpoint answers 503 so the platform retries later. Nothing is confirmed to a member
unless it was stored first, so stopping loses nothing that anyone was told.
"""

from __future__ import annotations

import logging

log = logging.getLogger("plein.health")


class StorageUnavailable(Exception):
    """The database could not store (or read) what was asked; `transient` faults were retried."""

    def __init__(self, problem: str, *, transient: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.transient = transient


class Health:
    def __init__(self) -> None:
        self.problem: str | None = None

    @property
    def healthy(self) -> bool:
        return self.problem is None

    def fail(self, problem: str) -> None:
        """The first problem is the one reported; later ones are its consequences."""
        if self.problem is None:
            self.problem = problem
            log.error("storage failed; taking no new work", extra={"problem": problem})
