"""The one scheduler: a loop that sleeps on the Clock and runs what has come due.

Production runs it on a SystemClock; scripted runs and tests run the very same loop on a
ManualClock (see scheduler/manual.py for the controls they use to move time).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.metrics import Metrics, NoMetrics
from bot.scheduling import Deadlines, Jobs, RecurringJob
from scheduler.due_cache import DueCache
from scheduler.triggers import CronMath, missed_occurrence

log = logging.getLogger("plein.scheduler")

DEADLINE_RECHECK = timedelta(seconds=60)
"""Deadline sources are asked again at least this often, in case another process added work.
Between rechecks a source's answer is kept (see DueCache) until it runs or is poked."""
MISFIRE_GRACE = timedelta(seconds=300)
"""A recurring job that wakes later than this after its occurrence skips it (or its catch_up
window, if larger)."""
RETRY_AFTER_FAILURE = timedelta(seconds=60)
"""A deadline source that failed is asked again after this long, not in a tight loop."""

Work = RecurringJob | Deadlines


class Scheduler:
    def __init__(
        self,
        jobs: Jobs,
        clock: Clock,
        math: CronMath,
        *,
        recheck: timedelta | None = DEADLINE_RECHECK,
        metrics: Metrics | None = None,
    ) -> None:
        self.jobs = jobs
        self.metrics = metrics or NoMetrics()
        self.clock = clock
        self.math = math
        self.recheck = recheck
        self._wake = asyncio.Event()
        self._next_fire: dict[str, datetime | None] = {}
        self._retry_at: dict[str, datetime] = {}
        self._dues = DueCache(recheck)
        self._recheck_at: datetime | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._loop_task is not None and not self._loop_task.done()

    async def start(self) -> None:
        if self._loop_task is not None:
            return
        started = self.clock.now()
        self._next_fire = {
            job.name: self.math.next_fire(job.cron, started) for job in self.jobs.recurring
        }
        self.jobs.bind_poke(self.poke)
        self._loop_task = asyncio.create_task(self._loop(started), name="plein-scheduler")

    def poke(self, name: str = "") -> None:
        """Something may be due sooner than the loop last thought: look again.

        `name` is the deadline source to ask again ("" for every one). The flag stays set until
        the loop looks, and the source's cached answer is void even if it arrives after the poke,
        so a poke during running work (or while the loop is asking) is not lost.
        """
        self._dues.forget(name or None)
        self._wake.set()

    def next_runs(self) -> list[tuple[str, datetime | None]]:
        """Each recurring job's next occurrence as the loop sees it."""
        return [(f"recurring:{name}", fire) for name, fire in self._next_fire.items()]

    async def shutdown(self, grace_seconds: float = 5.0) -> None:
        """Stop firing new work and let the running job finish (bounded).

        A job half-way through a post is better finished than cut off.
        """
        task = self._loop_task
        if task is None or task.done():
            return
        self._stopping = True
        self._wake.set()
        _, late = await asyncio.wait({task}, timeout=grace_seconds)
        if late:
            log.warning("scheduled job still running at shutdown; cancelling it")
            task.cancel()

    async def _loop(self, started: datetime) -> None:
        try:
            await self._catch_up(started)
            await self._until_stopped()
        except Exception:  # jobs' own errors are caught where they run; this is a bug in here
            log.exception("the scheduler loop stopped")
            raise

    async def _until_stopped(self) -> None:
        while not self._stopping:
            self._wake.clear()  # before looking, so a poke from here on wakes the sleep below
            upcoming = await self._next()
            now = self.clock.now()
            if self._stopping:
                return
            if upcoming is not None and upcoming[0] <= now:
                await self._run(upcoming[1], now, upcoming[0])
                continue
            moment = upcoming[0] if upcoming is not None else None
            if self._recheck_at is not None:
                moment = min(moment or self._recheck_at, self._recheck_at)
            await self.clock.sleep_until(moment, self._wake)

    async def _catch_up(self, started: datetime) -> None:
        """Misfire policy at start: each job with catch_up runs its latest missed occurrence
        within that window once (the job claims it, so an occurrence already run is a no-op)."""
        for job in self.jobs.recurring:
            if self._stopping:
                return
            missed = missed_occurrence(self.math, job, started)
            if missed is None:
                continue
            log.info("catching up on %s missed at %s", job.name, missed.isoformat())
            try:
                await job.run(missed)
            except Exception:
                log.exception("catch-up of %s failed", job.name)

    async def _next(self) -> tuple[datetime, Work] | None:
        """The earliest work: (when it is due, what). On a tie deadlines go first, then the
        order the work was added in."""
        candidates: list[tuple[datetime, int, Work]] = []
        self._recheck_at = self._dues.sweep(self.clock.now())
        for order, source in enumerate(self.jobs.deadlines):
            due = await self._due(source)
            if due is not None:
                candidates.append((due, order, source))
        offset = len(self.jobs.deadlines)
        for order, job in enumerate(self.jobs.recurring, start=offset):
            fire = self._next_fire.get(job.name)
            if fire is not None:
                candidates.append((fire, order, job))
        if not candidates:
            return None
        due, _, work = min(candidates, key=lambda item: item[:2])
        return due, work

    async def _due(self, source: Deadlines) -> datetime | None:
        cached = self._dues.get(source.name)
        if cached is not None:
            due = cached.due
        else:
            ticket = self._dues.ticket(source.name)
            try:
                due = await source.next_due()
            except Exception:
                log.exception("deadline source %s failed to say when it is due", source.name)
                due = self._failed(source)  # not kept: asked again on the loop's next look
            else:
                self._dues.keep(ticket, due)
        retry = self._retry_at.get(source.name)
        if due is not None and retry is not None:
            if retry > self.clock.now():
                return max(due, retry)
            del self._retry_at[source.name]
        return due

    async def _run(self, work: Work, now: datetime, due: datetime) -> None:
        if isinstance(work, RecurringJob):
            await self._run_recurring(work, now)
            return
        self._dues.forget(work.name)  # what it ran changes what it will say next
        try:
            await work.run_due(now)
        except Exception:
            log.exception("deadline source %s failed", work.name)
            self.metrics.job_failed(work.name)
            self._failed(work)
        else:
            self.metrics.job_ran(work.name, max((now - due).total_seconds(), 0.0))

    def _failed(self, source: Deadlines) -> datetime:
        retry = self.clock.now() + RETRY_AFTER_FAILURE
        self._retry_at[source.name] = retry
        return retry

    async def _run_recurring(self, job: RecurringJob, now: datetime) -> None:
        """Run the occurrence that is due; after a late wake-up only the latest one (coalesced),
        and only within the grace window."""
        scheduled = self._next_fire[job.name]
        self._next_fire[job.name] = self.math.next_fire(job.cron, now)
        if scheduled is None:
            return
        fire = self.math.latest_at_or_before(job.cron, now, now - scheduled) or scheduled
        grace = max(MISFIRE_GRACE, job.catch_up or timedelta(0))
        if now - fire > grace:
            log.warning(
                "recurring job %s woke up too late for %s; skipped", job.name, fire.isoformat()
            )
            self.metrics.job_missed(job.name)
            return
        try:
            await job.run(fire)
        except Exception:
            log.exception("recurring job %s failed", job.name)
            self.metrics.job_failed(job.name)
        else:
            self.metrics.job_ran(job.name, max((now - fire).total_seconds(), 0.0))
