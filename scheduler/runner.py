"""Production timing on APScheduler's AsyncIOScheduler."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock
from bot.scheduling import Deadlines, Jobs, RecurringJob
from scheduler.triggers import CronMath, missed_occurrence

log = logging.getLogger("plein.scheduler")

DEADLINE_RECHECK = timedelta(seconds=60)
"""Deadline sources are asked again at least this often, in case another process added work."""
OCCURRENCE_WINDOW = timedelta(hours=1)


class APSchedulerRunner:
    def __init__(self, jobs: Jobs, clock: Clock, math: CronMath) -> None:
        self.jobs = jobs
        self.clock = clock
        self.math = math
        self.scheduler = AsyncIOScheduler(timezone=math.timezone)
        self._running: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        for job in self.jobs.recurring:
            self.scheduler.add_job(
                self._run_recurring,
                self.math.trigger(job.cron),
                args=[job],
                id=f"recurring:{job.name}",
                coalesce=True,
                max_instances=1,
                misfire_grace_time=300,
            )
        for source in self.jobs.deadlines:
            self.scheduler.add_job(
                self._run_deadlines,
                DateTrigger(self.clock.now()),
                args=[source],
                id=f"deadlines:{source.name}",
                max_instances=1,
                misfire_grace_time=None,
            )
        self.jobs.bind_poke(self.poke)
        self.scheduler.start()
        now = self.clock.now()
        for job in self.jobs.recurring:
            missed = missed_occurrence(self.math, job, now)
            if missed is not None:
                self.scheduler.add_job(
                    self._catch_up, DateTrigger(now), args=[job, missed], id=f"catch-up:{job.name}"
                )

    def next_runs(self) -> list[tuple[str, datetime | None]]:
        return [(job.id, job.next_run_time) for job in self.scheduler.get_jobs()]

    def poke(self, name: str) -> None:
        job = self.scheduler.get_job(f"deadlines:{name}")
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC))

    async def shutdown(self, grace_seconds: float = 5.0) -> None:
        """Stop firing new jobs, let running ones finish (bounded), then stop APScheduler.

        Without the wait, APScheduler cancels running coroutine jobs and logs the cancellation
        as a job failure; a job half-way through a post is better finished than cut off.
        """
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        running = {task for task in self._running if not task.done()}
        if running:
            _, late = await asyncio.wait(running, timeout=grace_seconds)
            if late:
                log.warning("scheduled jobs still running at shutdown: %d", len(late))
        self.scheduler.shutdown(wait=False)

    def _track(self) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _catch_up(self, job: RecurringJob, fire: datetime) -> None:
        self._track()
        log.info("catching up on %s missed at %s", job.name, fire.isoformat())
        try:
            await job.run(fire)
        except Exception:
            log.exception("catch-up of %s failed", job.name)

    async def _run_recurring(self, job: RecurringJob) -> None:
        self._track()
        fire = self.math.latest_at_or_before(job.cron, self.clock.now(), OCCURRENCE_WINDOW)
        if fire is None:
            log.warning("recurring job %s woke up with no occurrence in the last hour", job.name)
            return
        try:
            await job.run(fire)
        except Exception:
            log.exception("recurring job %s failed", job.name)

    async def _run_deadlines(self, source: Deadlines) -> None:
        self._track()
        now = self.clock.now()
        try:
            due = await source.next_due()
            if due is not None and due <= now:
                await source.run_due(now)
            due = await source.next_due()
        except Exception:
            log.exception("deadline source %s failed", source.name)
            due = None
        now = self.clock.now()
        wake = now + DEADLINE_RECHECK if due is None else min(max(due, now), now + DEADLINE_RECHECK)
        self.scheduler.add_job(
            self._run_deadlines,
            DateTrigger(wake),
            args=[source],
            id=f"deadlines:{source.name}",
            replace_existing=True,
            max_instances=1,
            misfire_grace_time=None,
        )
