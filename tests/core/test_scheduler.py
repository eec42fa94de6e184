from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.scheduling import Deadlines, Jobs, RecurringJob
from bot.timespec import parse_duration, to_cron
from scheduler import CronMath, ManualScheduler, Scheduler

AMS = ZoneInfo("Europe/Amsterdam")


def test_weekly_times_and_cron_both_accepted() -> None:
    assert to_cron("mon 09:00") == "0 9 * * mon"
    assert to_cron("mon,thu 19:30") == "30 19 * * mon,thu"
    assert to_cron("daily 08:00") == "0 8 * * *"
    assert to_cron("0 9 * * 1") == "0 9 * * 1"
    assert parse_duration("1h30m") == timedelta(hours=1, minutes=30)


def test_standard_cron_weekday_numbers_mean_what_cron_means() -> None:
    math = CronMath("Europe/Amsterdam")
    monday = math.next_fire("0 9 * * 1", datetime(2026, 3, 21, tzinfo=UTC))  # a Saturday
    assert monday is not None and monday.astimezone(AMS).strftime("%a %H:%M") == "Mon 09:00"
    sunday = math.next_fire("0 9 * * 0", datetime(2026, 3, 21, tzinfo=UTC))
    assert sunday is not None and sunday.astimezone(AMS).strftime("%a") == "Sun"


def test_nine_local_stays_nine_local_across_both_dst_changes() -> None:
    math = CronMath("Europe/Amsterdam")
    start = datetime(2026, 3, 26, tzinfo=UTC)
    fires = list(math.fire_times("0 9 * * *", start, start + timedelta(days=5)))
    assert {f.astimezone(AMS).hour for f in fires} == {9}
    assert {f.hour for f in fires} == {8, 7}  # UTC shifts on 29 March
    autumn = datetime(2026, 10, 23, tzinfo=UTC)
    fires = list(math.fire_times("0 9 * * *", autumn, autumn + timedelta(days=5)))
    assert {f.astimezone(AMS).hour for f in fires} == {9}


async def test_scheduler_runs_jobs_in_time_order() -> None:
    clock = ManualClock(datetime(2026, 3, 23, 6, 0, tzinfo=UTC))
    jobs = Jobs()
    seen: list[tuple[str, datetime]] = []
    deadline = [datetime(2026, 3, 23, 8, 30, tzinfo=UTC)]

    async def recurring(at: datetime) -> None:
        seen.append(("cron", at))

    async def next_due() -> datetime | None:
        return deadline[0] if deadline else None

    async def run_due(now: datetime) -> None:
        seen.append(("deadline", now))
        deadline.clear()

    jobs.add_recurring(RecurringJob("daily", "0 9 * * *", recurring))
    jobs.add_deadlines(Deadlines("once", next_due, run_due))
    scheduler = ManualScheduler(jobs, clock, CronMath("Europe/Amsterdam"))
    await scheduler.start()
    await scheduler.advance_to(clock.now() + timedelta(days=2))
    assert [kind for kind, _ in seen] == ["cron", "deadline", "cron"]
    assert seen[0][1] == datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    assert clock.now() == datetime(2026, 3, 25, 6, 0, tzinfo=UTC)


async def test_shutdown_lets_a_running_job_finish(caplog) -> None:
    import asyncio
    import logging

    from bot.clock import SystemClock

    started, release = asyncio.Event(), asyncio.Event()
    finished: list[datetime] = []
    due_at = SystemClock().now() - timedelta(seconds=1)

    async def next_due() -> datetime | None:
        return None if finished else due_at

    async def run_due(now: datetime) -> None:
        started.set()
        await release.wait()
        finished.append(now)

    jobs = Jobs()
    jobs.add_deadlines(Deadlines("slow", next_due, run_due))
    runner = Scheduler(jobs, SystemClock(), CronMath("Europe/Amsterdam"))
    await runner.start()
    await asyncio.wait_for(started.wait(), timeout=5)
    caplog.set_level(logging.WARNING)
    stopping = asyncio.create_task(runner.shutdown())
    asyncio.get_running_loop().call_soon(release.set)  # after shutdown has started waiting
    await asyncio.wait_for(stopping, timeout=5)
    assert len(finished) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_catch_up_runs_the_latest_missed_occurrence_once_at_start() -> None:
    # Started Saturday 08:00; the Friday 10:00 job was missed while "down".
    clock = ManualClock(datetime(2026, 3, 28, 7, 0, tzinfo=UTC))
    jobs = Jobs()
    late: list[datetime] = []
    skipped: list[datetime] = []

    async def record(into: list[datetime]):
        async def run(at: datetime) -> None:
            into.append(at)

        return run

    jobs.add_recurring(
        RecurringJob("weekly", "0 10 * * fri", await record(late), catch_up=timedelta(days=1))
    )
    jobs.add_recurring(RecurringJob("no-policy", "0 10 * * fri", await record(skipped)))
    jobs.add_recurring(
        RecurringJob("too-old", "0 10 * * thu", await record(skipped), catch_up=timedelta(days=1))
    )
    scheduler = ManualScheduler(jobs, clock, CronMath("Europe/Amsterdam"))
    await scheduler.start()
    assert late == [datetime(2026, 3, 27, 9, 0, tzinfo=UTC)]
    assert skipped == []
    await scheduler.advance_to(clock.now() + timedelta(days=7))
    assert late == [datetime(2026, 3, 27, 9, 0, tzinfo=UTC), datetime(2026, 4, 3, 8, 0, tzinfo=UTC)]


async def test_system_clock_sleeps_for_real_and_wakes_at_once_on_a_poke() -> None:
    import asyncio

    from bot.clock import SystemClock

    clock = SystemClock()
    wake = asyncio.Event()
    timed = asyncio.create_task(clock.sleep_until(clock.now() + timedelta(milliseconds=5), wake))
    await asyncio.wait_for(timed, timeout=2)  # the moment passes: it returns by itself
    sleeping = asyncio.create_task(clock.sleep_until(clock.now() + timedelta(hours=1), wake))
    await asyncio.sleep(0)
    assert not sleeping.done()
    wake.set()
    await asyncio.wait_for(sleeping, timeout=2)


async def test_production_loop_on_the_system_clock_runs_poked_work_without_waiting() -> None:
    import asyncio

    from bot.clock import SystemClock

    clock = SystemClock()
    pending: list[datetime] = []
    ran = asyncio.Event()

    async def next_due() -> datetime | None:
        return min(pending, default=None)

    async def run_due(now: datetime) -> None:
        pending.clear()
        ran.set()

    jobs = Jobs()
    jobs.add_deadlines(Deadlines("new", next_due, run_due))
    runner = Scheduler(jobs, clock, CronMath("Europe/Amsterdam"))  # rechecks every 60 s
    await runner.start()
    await asyncio.sleep(0)
    assert not ran.is_set()
    pending.append(clock.now())
    jobs.poke("new")
    await asyncio.wait_for(ran.wait(), timeout=2)  # well before the 60-second recheck
    await runner.shutdown()
    assert not runner.running
