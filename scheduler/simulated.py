"""A deterministic scheduler on a ManualClock: `advance_to` runs every job that falls due, in order."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.clock import ManualClock
from bot.scheduling import Deadlines, Jobs, RecurringJob
from scheduler.triggers import CronMath, missed_occurrence

log = logging.getLogger("plein.scheduler")


class SimulatedScheduler:
    def __init__(self, jobs: Jobs, clock: ManualClock, math: CronMath) -> None:
        self.jobs = jobs
        self.clock = clock
        self.math = math
        self._next_fire: dict[str, datetime | None] = {}
        self._started = False

    async def start(self) -> None:
        now = self.clock.now()
        for job in self.jobs.recurring:
            self._next_fire[job.name] = self.math.next_fire(job.cron, now)
        self.jobs.bind_poke(lambda name: None)
        self._started = True
        for job in self.jobs.recurring:
            missed = missed_occurrence(self.math, job, now)
            if missed is not None:
                await self._run_once(job, missed)

    async def shutdown(self) -> None:
        self._started = False

    async def _next(self) -> tuple[datetime, RecurringJob | Deadlines] | None:
        best: tuple[datetime, RecurringJob | Deadlines] | None = None
        for source in self.jobs.deadlines:
            due = await source.next_due()
            if due is not None and (best is None or due < best[0]):
                best = (max(due, self.clock.now()), source)
        for job in self.jobs.recurring:
            fire = self._next_fire.get(job.name)
            if fire is not None and (best is None or fire < best[0]):
                best = (fire, job)
        return best

    async def advance_to(self, target: datetime) -> None:
        """Move the clock to `target`, running each job at its own moment on the way."""
        while True:
            upcoming = await self._next()
            if upcoming is None or upcoming[0] > target:
                break
            moment, work = upcoming
            if moment > self.clock.now():
                self.clock.set(moment)
            await self._run(work, moment)
        if target > self.clock.now():
            self.clock.set(target)

    async def run_pending(self) -> None:
        await self.advance_to(self.clock.now())

    async def drain(self, limit: int = 100_000) -> None:
        """Before a scripted run exits: work off queues (drain_on_exit sources), even if not yet due."""
        await self.run_pending()
        for _ in range(limit):
            dues = [(await s.next_due(), s) for s in self.jobs.deadlines if s.drain_on_exit]
            dues = [(d, s) for d, s in dues if d is not None]
            if not dues:
                return
            await self.advance_to(min(d for d, _ in dues))

    async def _run_once(self, job: RecurringJob, fire: datetime) -> None:
        try:
            await job.run(fire)
        except Exception:
            log.exception("catch-up of %s failed", job.name)

    async def _run(self, work: RecurringJob | Deadlines, moment: datetime) -> None:
        try:
            if isinstance(work, RecurringJob):
                self._next_fire[work.name] = self.math.next_fire(work.cron, moment)
                await work.run(moment)
            else:
                await work.run_due(self.clock.now())
        except Exception:
            log.exception("scheduled job %s failed", work.name)
