"""The production Scheduler loop, driven on a ManualClock: DST weeks, downtime, pokes, failures.

Each job records the clock's time when it runs, so a job that ran at the wrong moment shows.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.scheduling import Deadlines, Jobs, RecurringJob
from scheduler import CronMath, ManualScheduler

AMS = ZoneInfo("Europe/Amsterdam")
MATH = CronMath("Europe/Amsterdam")


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=AMS).astimezone(UTC)


class Recorder:
    """Recurring job bodies that note (occurrence, clock time) per run."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.runs: dict[str, list[tuple[datetime, datetime]]] = {}

    def job(self, name: str) -> Callable[[datetime], Awaitable[None]]:
        self.runs[name] = []

        async def run(fire: datetime) -> None:
            self.runs[name].append((fire, self.clock.now()))

        return run

    def local_times(self, name: str) -> list[str]:
        """Occurrences as local wall time, checking each ran at its own moment."""
        assert all(fire == at for fire, at in self.runs[name]), self.runs[name]
        return [fire.astimezone(AMS).strftime("%a %d %b %H:%M%z") for fire, _ in self.runs[name]]


class DeadlineList:
    """A deadline source over a list of moments (what a store's next-due query does)."""

    def __init__(self, clock: ManualClock, name: str = "list") -> None:
        self.clock = clock
        self.name = name
        self.pending: list[datetime] = []
        self.ran: list[datetime] = []

    async def next_due(self) -> datetime | None:
        return min(self.pending, default=None)

    async def run_due(self, now: datetime) -> None:
        self.ran.append(self.clock.now())
        self.pending = [due for due in self.pending if due > now]

    def source(self) -> Deadlines:
        return Deadlines(self.name, self.next_due, self.run_due)


async def test_weekly_and_daily_local_times_across_the_spring_change() -> None:
    clock = ManualClock(local("2026-03-20T12:00"))
    jobs, rec = Jobs(), Recorder(clock)
    jobs.add_recurring(RecurringJob("monday-nine", "0 9 * * 1", rec.job("monday-nine")))
    jobs.add_recurring(RecurringJob("half-past-two", "30 2 * * *", rec.job("half-past-two")))
    runner = ManualScheduler(jobs, clock, MATH)
    await runner.start()
    await runner.advance_to(local("2026-04-07T00:00"))
    assert rec.local_times("monday-nine") == [
        "Mon 23 Mar 09:00+0100",
        "Mon 30 Mar 09:00+0200",
        "Mon 06 Apr 09:00+0200",
    ]
    assert rec.local_times("half-past-two")[6:10] == [
        "Fri 27 Mar 02:30+0100",
        "Sat 28 Mar 02:30+0100",
        "Sun 29 Mar 03:30+0200",  # 02:30 does not exist that night: one hour later, once
        "Mon 30 Mar 02:30+0200",
    ]
    assert len(rec.runs["half-past-two"]) == 17  # once a day, 21 March to 6 April
    await runner.shutdown()


async def test_weekly_and_daily_local_times_across_the_autumn_change() -> None:
    clock = ManualClock(local("2026-10-20T12:00"))
    jobs, rec = Jobs(), Recorder(clock)
    jobs.add_recurring(RecurringJob("monday-nine", "0 9 * * 1", rec.job("monday-nine")))
    jobs.add_recurring(RecurringJob("half-past-two", "30 2 * * *", rec.job("half-past-two")))
    runner = ManualScheduler(jobs, clock, MATH)
    await runner.start()
    await runner.advance_to(local("2026-11-03T00:00"))
    assert rec.local_times("monday-nine") == ["Mon 26 Oct 09:00+0100", "Mon 02 Nov 09:00+0100"]
    assert rec.local_times("half-past-two")[3:6] == [
        "Sat 24 Oct 02:30+0200",
        "Sun 25 Oct 02:30+0200",  # 02:30 happens twice that night: it runs at the first only
        "Mon 26 Oct 02:30+0100",
    ]
    assert len(rec.runs["half-past-two"]) == 13  # once a day, 21 October to 2 November
    await runner.shutdown()


async def test_three_days_down_each_catch_up_job_runs_its_latest_missed_occurrence_once() -> None:
    clock = ManualClock(local("2026-03-27T12:00"))  # a Friday
    jobs, rec = Jobs(), Recorder(clock)
    day = timedelta(days=1)
    jobs.add_recurring(RecurringJob("daily", "0 10 * * *", rec.job("daily"), catch_up=day))
    jobs.add_recurring(RecurringJob("hourly", "0 * * * *", rec.job("hourly"), catch_up=day))
    jobs.add_recurring(RecurringJob("no-policy", "0 10 * * *", rec.job("no-policy")))
    jobs.add_recurring(RecurringJob("saturday", "0 10 * * sat", rec.job("saturday"), catch_up=day))
    first = ManualScheduler(jobs, clock, MATH)
    await first.start()
    await first.advance_to(local("2026-03-27T12:30"))
    await first.shutdown()
    for runs in rec.runs.values():
        runs.clear()

    await clock.advance_to(local("2026-03-30T12:30"))  # down over the weekend: nothing runs
    assert all(runs == [] for runs in rec.runs.values())

    second = ManualScheduler(jobs, clock, MATH)
    await second.start()
    started = local("2026-03-30T12:30")
    assert rec.runs["daily"] == [(local("2026-03-30T10:00"), started)]
    assert rec.runs["hourly"] == [(local("2026-03-30T12:00"), started)]  # not 72 of them
    assert rec.runs["no-policy"] == []
    assert rec.runs["saturday"] == []  # its latest occurrence is older than its window
    await second.advance_to(local("2026-03-31T10:00"))
    assert [fire for fire, _ in rec.runs["daily"]] == [
        local(f"2026-03-{d}T10:00") for d in (30, 31)
    ]
    assert [fire for fire, _ in rec.runs["no-policy"]] == [local("2026-03-31T10:00")]
    assert len(rec.runs["hourly"]) == 1 + 22
    await second.shutdown()


async def test_a_late_wake_up_coalesces_within_the_grace_and_skips_beyond_it() -> None:
    clock = ManualClock(local("2026-03-23T09:30"))
    jobs, rec = Jobs(), Recorder(clock)
    jobs.add_recurring(RecurringJob("hourly", "0 * * * *", rec.job("hourly")))
    jobs.add_recurring(
        RecurringJob("tolerant", "0 * * * *", rec.job("tolerant"), catch_up=timedelta(hours=1))
    )
    runner = ManualScheduler(jobs, clock, MATH)
    await runner.start()
    rec.runs["tolerant"].clear()  # its catch-up of 09:00 at start
    clock.set(local("2026-03-23T10:04"))  # the process was suspended past 10:00
    await runner.run_pending()
    assert rec.runs["hourly"] == [(local("2026-03-23T10:00"), local("2026-03-23T10:04"))]
    clock.set(local("2026-03-23T13:10"))  # three occurrences missed, the latest 10 minutes ago
    await runner.run_pending()
    assert len(rec.runs["hourly"]) == 1  # beyond the 5-minute grace: skipped
    assert rec.runs["tolerant"][-1] == (local("2026-03-23T13:00"), local("2026-03-23T13:10"))
    assert len(rec.runs["tolerant"]) == 2  # 10:00, then only the latest of 11:00-13:00
    await runner.advance_to(local("2026-03-23T14:00"))
    assert rec.runs["hourly"][-1] == (local("2026-03-23T14:00"), local("2026-03-23T14:00"))
    await runner.shutdown()


@pytest.mark.parametrize("poke", [True, False])
async def test_work_added_while_sleeping_that_is_due_sooner_runs_at_its_own_moment(
    poke: bool,
) -> None:
    start = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    clock = ManualClock(start)
    jobs = Jobs()
    deadlines = DeadlineList(clock, "polls.close")
    deadlines.pending.append(start + timedelta(hours=1))
    jobs.add_deadlines(deadlines.source())
    runner = ManualScheduler(jobs, clock, MATH)  # no recheck interval in virtual time
    await runner.start()
    assert clock.next_wake() == start + timedelta(hours=1)  # asleep until T+1h

    deadlines.pending.append(start + timedelta(minutes=10))  # another process, a new poll
    if poke:
        jobs.poke("polls.close")
    await clock.advance_to(start + timedelta(hours=2))  # the clock itself: no recheck, only a poke
    if poke:
        assert deadlines.ran == [start + timedelta(minutes=10), start + timedelta(hours=1)]
    else:
        assert deadlines.ran == [start + timedelta(hours=1)]  # what the poke is for
    await runner.shutdown()


async def test_a_poke_while_the_loop_is_looking_is_not_lost() -> None:
    start = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    clock = ManualClock(start)
    jobs = Jobs()
    later = DeadlineList(clock, "later")
    jobs.add_deadlines(later.source())
    added: list[bool] = []

    async def adds_to_later_while_asked() -> datetime | None:
        # Runs after 'later' was asked (nothing due), like a handler adding work meanwhile.
        if not added:
            added.append(True)
            later.pending.append(start + timedelta(minutes=5))
            jobs.poke("later")
        return None

    async def never(now: datetime) -> None:
        raise AssertionError("nothing was due")

    jobs.add_deadlines(Deadlines("busy", adds_to_later_while_asked, never))
    runner = ManualScheduler(jobs, clock, MATH)
    await runner.start()
    assert clock.next_wake() == start + timedelta(minutes=5)
    await clock.advance_to(start + timedelta(hours=1))
    assert later.ran == [start + timedelta(minutes=5)]
    await runner.shutdown()


async def test_a_failing_job_is_logged_and_the_next_one_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = ManualClock(local("2026-03-23T08:00"))
    jobs, rec = Jobs(), Recorder(clock)

    async def broken(fire: datetime) -> None:
        raise RuntimeError("the database went away")

    failing_source_calls: list[datetime] = []

    async def always_due() -> datetime | None:
        return local("2026-03-23T08:30")

    async def fails(now: datetime) -> None:
        failing_source_calls.append(now)
        raise RuntimeError("cannot close polls")

    jobs.add_deadlines(Deadlines("broken-source", always_due, fails))
    jobs.add_recurring(RecurringJob("broken", "0 9 * * *", broken))
    jobs.add_recurring(RecurringJob("fine", "0 9 * * *", rec.job("fine")))
    runner = ManualScheduler(jobs, clock, MATH)
    await runner.start()
    caplog.set_level(logging.ERROR, logger="plein.scheduler")
    await runner.advance_to(local("2026-03-24T09:00"))
    assert [fire for fire, _ in rec.runs["fine"]] == [local(f"2026-03-{d}T09:00") for d in (23, 24)]
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert failures.count("recurring job broken failed") == 2
    assert "deadline source broken-source failed" in failures
    # the failing source is retried every minute, never in a tight loop
    assert failing_source_calls[:2] == [local("2026-03-23T08:30"), local("2026-03-23T08:31")]
    assert len(failing_source_calls) == 24 * 60 + 30 + 1
    assert runner.running
    await runner.shutdown()
    assert not runner.running
