"""The loop keeps each deadline source's answer until the source runs, is poked, or the recheck.

A source's next_due() is a database query and a busy day is hundreds of runs: asking every
source after every run was most of a simulated month's cost. These tests count the questions
and check that no work is missed for them.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.scheduling import Deadlines, Jobs
from scheduler import CronMath, ManualScheduler
from scheduler.runner import DEADLINE_RECHECK

MATH = CronMath("Europe/Amsterdam")
START = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)


class CountedList:
    """A deadline source over a list of moments that counts how often it is asked."""

    def __init__(self, clock: ManualClock, name: str) -> None:
        self.clock = clock
        self.name = name
        self.pending: list[datetime] = []
        self.ran: list[datetime] = []
        self.asked = 0

    async def next_due(self) -> datetime | None:
        self.asked += 1
        return min(self.pending, default=None)

    async def run_due(self, now: datetime) -> None:
        self.ran.append(self.clock.now())
        self.pending = [due for due in self.pending if due > now]

    def source(self) -> Deadlines:
        return Deadlines(self.name, self.next_due, self.run_due)


def every(step: timedelta, count: int) -> list[datetime]:
    return [START + step * (n + 1) for n in range(count)]


async def test_a_quiet_source_is_not_asked_again_while_a_busy_one_runs_until_poked() -> None:
    clock = ManualClock(START)
    jobs = Jobs()
    busy, quiet = CountedList(clock, "busy"), CountedList(clock, "quiet")
    busy.pending = every(timedelta(minutes=1), 120)
    quiet.pending = [START + timedelta(days=1)]
    jobs.add_deadlines(busy.source())
    jobs.add_deadlines(quiet.source())
    runner = ManualScheduler(jobs, clock, MATH)  # virtual time: no recheck interval
    await runner.start()
    await clock.advance_to(START + timedelta(hours=2))  # the clock itself: no poke
    assert busy.ran == every(timedelta(minutes=1), 120)
    assert busy.asked == 121  # once at start, then once after each of its runs
    assert quiet.asked == 1  # its answer still holds: nothing of it ran, nobody poked it

    quiet.pending.append(START + timedelta(hours=2, minutes=5))
    jobs.poke("quiet")
    await clock.advance_to(START + timedelta(hours=3))
    assert quiet.ran == [START + timedelta(hours=2, minutes=5)]
    assert quiet.asked == 3  # the poke, then after its run
    await runner.shutdown()


async def test_work_another_process_added_is_found_at_the_recheck_however_busy_the_loop() -> None:
    clock = ManualClock(START)
    busy, quiet = CountedList(clock, "busy"), CountedList(clock, "quiet")
    busy.pending = every(timedelta(seconds=10), 60)  # ten minutes of runs every 10 s
    jobs = Jobs()
    jobs.add_deadlines(busy.source())
    jobs.add_deadlines(quiet.source())
    runner = ManualScheduler(jobs, clock, MATH, recheck=DEADLINE_RECHECK)
    await runner.start()
    await clock.advance_to(START + timedelta(seconds=5))
    # Another process (same database, its own scheduler) adds work due at 08:00:30; its poke
    # reaches only its own loop. This loop finds it at its recheck, a minute after it last
    # asked everything (08:00:00), not after its next question of its own.
    quiet.pending.append(START + timedelta(seconds=30))
    await clock.advance_to(START + timedelta(minutes=10))
    assert quiet.ran == [START + timedelta(minutes=1)]
    assert busy.ran == every(timedelta(seconds=10), 60)
    # asked at start, at each of the ten rechecks, and after its own run: not after busy's 60
    assert quiet.asked == 1 + 10 + 1
    await runner.shutdown()


async def test_a_poke_from_another_task_during_a_run_is_not_lost() -> None:
    clock = ManualClock(START)
    jobs = Jobs()
    slow, other = CountedList(clock, "slow"), CountedList(clock, "other")
    slow.pending = [START + timedelta(minutes=1)]
    other.pending = [START + timedelta(hours=1)]
    running, added = asyncio.Event(), asyncio.Event()

    async def slow_run(now: datetime) -> None:
        running.set()
        await added.wait()  # a handler in another task adds work meanwhile
        await slow.run_due(now)

    async def handler() -> None:
        await running.wait()
        other.pending.append(START + timedelta(minutes=2))
        jobs.poke("other")
        added.set()

    jobs.add_deadlines(Deadlines("slow", slow.next_due, slow_run))
    jobs.add_deadlines(other.source())
    runner = ManualScheduler(jobs, clock, MATH)
    await runner.start()
    handling = asyncio.create_task(handler())
    await clock.advance_to(START + timedelta(hours=2))
    await handling
    assert other.ran == [START + timedelta(minutes=2), START + timedelta(hours=1)]
    await runner.shutdown()


async def test_an_answer_asked_before_a_poke_is_not_kept() -> None:
    """The poke lands while the source's own question is on its way: its answer may predate
    the new work, so it is asked again rather than kept."""
    clock = ManualClock(START)
    jobs = Jobs()
    source = CountedList(clock, "source")
    source.pending = [START + timedelta(hours=1)]

    async def answers_then_work_arrives() -> datetime | None:
        answer = await source.next_due()
        if source.asked == 1:  # between the query and the loop reading its answer
            source.pending.append(START + timedelta(minutes=5))
            jobs.poke("source")
        return answer

    jobs.add_deadlines(Deadlines("source", answers_then_work_arrives, source.run_due))
    runner = ManualScheduler(jobs, clock, MATH)
    await runner.start()
    await clock.advance_to(START + timedelta(hours=2))
    assert source.ran == [START + timedelta(minutes=5), START + timedelta(hours=1)]
    await runner.shutdown()
