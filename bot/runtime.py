"""The process around a running Plein: the startup summary, signals and draining in-flight work."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.lifecycle import SERVICE_TASK_PREFIX

if TYPE_CHECKING:
    from bot.adapter import Adapter
    from bot.kit import Kit

log = logging.getLogger("plein.app")


SHUTDOWN_TASK = "plein-shutdown"
MAIN_TASK = "plein-main"
SHUTDOWN_GRACE_SECONDS = 5.0
"""After a SIGTERM the adapter gets this long to finish its current event before it is cancelled."""
IN_FLIGHT_SECONDS = 3.0
"""Then sends and jobs already running get this long to finish."""


GC_FIRST_THRESHOLD = 50_000
"""Allocations between young-generation collections (CPython's default is 700): a busy gateway
allocates short-lived objects by the thousand, and each collection walks them all."""


def resume_gc_after_startup() -> None:
    """`python -m bot` imports and builds with the collector off (see bot/__main__.py): start-up
    makes several hundred thousand objects that live as long as the process, and collecting
    while they are made walked them again and again (about a quarter of start-up's CPU). Once
    the app is built, they move out of the collector's sight and collection resumes. A no-op
    when the collector was never turned off (Plein built inside another process, as in tests)."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def tune_gc_after_startup() -> None:
    """Move what start-up built (modules, config, catalogs) out of the collector's sight and
    collect the young generation less often: fewer, cheaper pauses on the message path."""
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_FIRST_THRESHOLD, second, third)


async def startup_summary(
    kit: Kit, adapter: str, database: str
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """What an operator wants to see first: adapter, community, database (password hidden) and
    each scheduled job with its next run (local time), soonest first."""
    now = kit.clock.now()
    jobs = kit.jobs
    schedule: list[tuple[str, datetime | None]] = [
        (f"recurring:{job.name}", kit.cron.next_fire(job.cron, now)) for job in jobs.recurring
    ]
    for source in jobs.deadlines:
        try:
            due = await source.next_due()
        except Exception:
            log.exception("deadline source %s failed to say when it is due", source.name)
            due = None
        schedule.append((f"deadlines:{source.name}", max(due, now) if due else None))
    community = kit.config.community
    facts: dict[str, Any] = {
        "adapter": adapter,
        "community": community.name,
        "language": community.language,
        "timezone": community.timezone,
        "database": database,
        "scheduled_jobs": len(schedule),
    }
    tz = kit.tz
    runs = [
        (name, when.astimezone(tz).isoformat(timespec="minutes") if when else "nothing due")
        for name, when in sorted(schedule, key=lambda item: (item[1] is None, item[1] or now))
    ]
    return facts, runs


def log_startup_summary(facts: dict[str, Any], runs: list[tuple[str, str]], echo: bool) -> None:
    log.info("plein ready", extra=facts)
    for job, next_run in runs:
        log.info("scheduled job", extra={"job": job, "next_run": next_run})
    if echo:
        lines = [f"Plein ready: {facts['community']} on {facts['adapter']}"]
        lines.append(f"  database: {facts['database']}")
        lines.append(f"  scheduled jobs: {facts['scheduled_jobs']}")
        lines += [f"    {job}: next run {next_run}" for job, next_run in runs]
        print("\n".join(lines), file=sys.stderr, flush=True)


def is_interactive_console(adapter: Adapter) -> bool:
    return (
        adapter.name == "console" and getattr(adapter, "lines", ()) is None and sys.stdin.isatty()
    )


async def finish_in_flight(seconds: float) -> None:
    """Wait (bounded) for tasks still running on this loop: sends, jobs, handlers."""
    current = asyncio.current_task()
    pending = {
        task
        for task in asyncio.all_tasks()
        if task is not current
        and not task.done()
        and task.get_name() not in (SHUTDOWN_TASK, MAIN_TASK)
        and not task.get_name().startswith(SERVICE_TASK_PREFIX)
    }
    if not pending:
        return
    log.info("waiting for in-flight work", extra={"tasks": len(pending)})
    _, still = await asyncio.wait(pending, timeout=seconds)
    if still:
        log.warning("in-flight work did not finish in time", extra={"tasks": len(still)})


class ShutdownSignals:
    """First SIGTERM/SIGINT: stop gracefully (`stop`: the scheduler, then the adapter; the run
    is cancelled after a grace period). A second one: exit at once."""

    def __init__(self, stop: Callable[[], Awaitable[object]], running: asyncio.Task[None]) -> None:
        self.stop = stop
        self.running = running
        self.received: list[int] = []
        self._loop = asyncio.get_running_loop()
        self._installed: list[int] = []

    def install(self) -> ShutdownSignals:
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                self._loop.add_signal_handler(sig, self._on_signal, sig)
                self._installed.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread, or a platform without loop signal handlers
        return self

    def remove(self) -> None:
        for sig in self._installed:
            self._loop.remove_signal_handler(sig)
        self._installed.clear()

    def _on_signal(self, signum: int) -> None:
        self.received.append(signum)
        name = signal.Signals(signum).name
        if len(self.received) > 1:
            log.warning("second signal, exiting now", extra={"signal": name})
            logging.shutdown()
            sys.stdout.flush()
            os._exit(128 + signum)
        log.warning("shutting down", extra={"signal": name})
        self._loop.create_task(self._graceful(), name=SHUTDOWN_TASK)

    async def _graceful(self) -> None:
        try:
            await self.stop()
        except Exception:
            log.exception("stopping failed")
        done, _ = await asyncio.wait({self.running}, timeout=SHUTDOWN_GRACE_SECONDS)
        if not done:
            log.warning("adapter did not stop in time; cancelling it")
            self.running.cancel()


class ReloadSignal:
    """SIGHUP re-reads the configuration (systemd's ExecReload, `docker kill -s HUP`)."""

    def __init__(self, reload: Callable[[], object]) -> None:
        self.reload = reload
        self._loop = asyncio.get_running_loop()
        self._installed = False

    def install(self) -> ReloadSignal:
        try:
            self._loop.add_signal_handler(signal.SIGHUP, self._on_signal)
            self._installed = True
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass  # not the main thread, or no SIGHUP on this platform
        return self

    def remove(self) -> None:
        if self._installed:
            self._loop.remove_signal_handler(signal.SIGHUP)
            self._installed = False

    def _on_signal(self) -> None:
        log.info("SIGHUP: reloading the configuration")
        try:
            self.reload()
        except Exception:
            log.exception("config reload failed; the running configuration stays in force")
