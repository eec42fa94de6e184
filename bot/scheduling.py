"""What services ask of the scheduler, without knowing which clock drives it.

Two kinds of work:
- Recurring jobs: a cron expression in the community's timezone. `run(fire_time)` receives the
  occurrence's scheduled time (not 'now'), so services can claim occurrences idempotently.
- Deadline sources: deadlines kept in the database (poll close times, follow-ups). The scheduler
  asks `next_due()` and calls `run_due(now)` when it has come; `poke()` after adding an earlier one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class RecurringJob:
    name: str
    cron: str
    run: Callable[[datetime], Awaitable[None]] = field(compare=False)
    catch_up: timedelta | None = None
    """Misfire policy: when the scheduler starts, run the latest occurrence that fell within
    this window before now, once (the job must claim its occurrence, so a run that already
    happened is a no-op). None: missed occurrences are skipped."""


class DeadlineSource(Protocol):
    name: str

    async def next_due(self) -> datetime | None: ...

    async def run_due(self, now: datetime) -> None: ...


@dataclass(frozen=True)
class Deadlines:
    """A DeadlineSource built from two functions."""

    name: str
    next_due: Callable[[], Awaitable[datetime | None]] = field(compare=False)
    run_due: Callable[[datetime], Awaitable[None]] = field(compare=False)
    drain_on_exit: bool = False
    """Queues (throttled DMs) are worked off before a scripted run exits, even if not yet due."""


class TriggerMath(Protocol):
    """Cron arithmetic in the community's timezone; implemented with APScheduler's CronTrigger."""

    def fire_times(self, cron: str, after: datetime, until: datetime) -> Iterator[datetime]:
        """Occurrences strictly after `after` and at or before `until`, in order (aware, UTC)."""

    def next_fire(self, cron: str, after: datetime) -> datetime | None: ...

    def validate(self, cron: str) -> str | None:
        """None when valid, else a message saying what is wrong."""


class Jobs:
    """The registry services add their work to; the composition root hands it to a scheduler."""

    def __init__(self) -> None:
        self.recurring: list[RecurringJob] = []
        self.deadlines: list[Deadlines] = []
        self._poke: Callable[[str], None] = lambda name: None

    def add_recurring(self, job: RecurringJob) -> None:
        if any(j.name == job.name for j in self.recurring):
            raise ValueError(f"recurring job {job.name!r} added twice")
        self.recurring.append(job)

    def add_deadlines(self, source: Deadlines) -> None:
        if any(s.name == source.name for s in self.deadlines):
            raise ValueError(f"deadline source {source.name!r} added twice")
        self.deadlines.append(source)

    def bind_poke(self, poke: Callable[[str], None]) -> None:
        self._poke = poke

    def poke(self, name: str) -> None:
        """Tell the scheduler a deadline source has something earlier than it last said."""
        self._poke(name)
