"""The Scheduler on a ManualClock, plus the controls a scripted run or a test moves time with.

Nothing here decides what runs when: that is the Scheduler's loop, the same one production runs.
These methods only move the ManualClock and wait for the loop to catch up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import ManualClock
from bot.metrics import Metrics
from bot.scheduling import Jobs
from scheduler.runner import Scheduler
from scheduler.triggers import CronMath


class ManualScheduler(Scheduler):
    clock: ManualClock

    def __init__(
        self,
        jobs: Jobs,
        clock: ManualClock,
        math: CronMath,
        metrics: Metrics | None = None,
        *,
        recheck: timedelta | None = None,
    ) -> None:
        # No recheck interval by default: in virtual time it would only step a simulated week
        # minute by minute. Instead every advance starts with a recheck (see advance_to). A test
        # of production's recheck passes one.
        super().__init__(jobs, clock, math, recheck=recheck, metrics=metrics)

    async def start(self) -> None:
        """Start the loop and return once it sleeps: the catch-up at start has run."""
        await super().start()
        if self._loop_task is not None and not self._loop_task.done():
            self.clock.join(self._loop_task)
        await self.clock.settle()

    async def advance_to(self, target: datetime) -> None:
        """Move the clock to `target`, each job running at its own moment on the way.

        It starts with a recheck, the stand-in for production's recheck interval: between two
        advances the world outside the loop (event handlers) may have added work without a poke.
        """
        if self.running:
            self.poke()
        await self.clock.advance_to(target)

    async def run_pending(self) -> None:
        await self.advance_to(self.clock.now())

    async def drain(self, limit: int = 100_000) -> None:
        """Before a scripted run exits: work off queues (drain_on_exit sources), even if not yet due."""
        if not self.running:
            return
        await self.run_pending()
        for _ in range(limit):
            dues = [(await s.next_due(), s) for s in self.jobs.deadlines if s.drain_on_exit]
            moments = [due for due, _ in dues if due is not None]
            if not moments:
                return
            await self.advance_to(min(moments))
