"""One `plein run` process from start to exit: open the database (migrating in a child process
when needed), build the app, serve the web port, hold the database's locks, install the signal
handlers, run until stopped. Part of the composition root (with bot/app.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.app import (
    build,
    console_files_dir,
    console_history_path,
    console_state_path,
    make_adapter,
)
from bot.clock import Clock, ManualClock, SystemClock
from bot.config import PleinConfig
from bot.health import StorageUnavailable
from bot.runtime import (
    IN_FLIGHT_SECONDS,
    MAIN_TASK,
    ReloadSignal,
    ShutdownSignals,
    resume_gc_after_startup,
)
from bot.web_port import WebPort
from storage.db import sqlite_file
from storage.in_use import InUse, SchedulerLock
from storage.migrate_process import open_for_long_run

ROLE_ALL, ROLE_ADAPTER, ROLE_WORKER = "all", "adapter", "worker"
ROLES = (ROLE_ALL, ROLE_ADAPTER, ROLE_WORKER)
"""What a `plein run` process does (README "Running several processes"): all (the default);
adapter: platform events and commands, no scheduler; worker: the scheduler and its posts, and
on Slack HTTP mode no events path (the load balancer sends events to the other processes)."""


async def run_app(
    config: PleinConfig,
    adapter_name: str,
    *,
    lines: list[str] | None = None,
    json_output: bool = False,
    start: datetime | None = None,
    reload_config: Callable[[], PleinConfig] | None = None,
    role: str = ROLE_ALL,
) -> int:
    """`role`: ROLES. On SQLite only one process may run the scheduler (SchedulerLock)."""
    database = sqlite_file(config.storage.url)
    scheduler_lock = None
    if database is not None and role != ROLE_ADAPTER and database.parent.is_dir():
        # (no folder: opening the database fails below, with its own one-line message)
        scheduler_lock = SchedulerLock.take(database)  # refuses a second one, in words
    try:
        return await _run_app(config, adapter_name, lines, json_output, start, reload_config, role)
    finally:
        if scheduler_lock is not None:
            scheduler_lock.release()


async def _run_app(
    config: PleinConfig,
    adapter_name: str,
    lines: list[str] | None,
    json_output: bool,
    start: datetime | None,
    reload_config: Callable[[], PleinConfig] | None,
    role: str,
) -> int:
    clock: Clock = ManualClock(start) if start is not None else SystemClock()
    options: dict[str, Any] = {}
    if adapter_name == "console":
        options = {
            "lines": lines,
            "json_output": json_output,
            "state_path": console_state_path(config),
            "files_dir": console_files_dir(config),
            "history_path": console_history_path(config),
        }
    web = WebPort.for_config(config, adapter_name)
    if adapter_name == "slack" and role == ROLE_WORKER:
        options["mount"] = _no_route  # a worker serves no Slack events path (HTTP mode)
    elif web is not None and adapter_name == "slack":
        options["mount"] = web.mount  # HTTP mode serves Slack's path on the one web port
    adapter = make_adapter(adapter_name, config, **options)
    long_running = adapter_name != "console"
    plein = await build(
        config,
        adapter,
        db=await open_for_long_run(config.storage.url) if long_running else None,
        clock=clock,
        reload_config=reload_config,
        metrics=web.metrics if web else None,
    )
    resume_gc_after_startup()
    plein.tune_gc = long_running
    plein.runs_scheduler = role != ROLE_ADAPTER
    database = sqlite_file(config.storage.url)
    in_use = InUse.hold(database) if database is not None else None
    main = asyncio.current_task()
    if main is not None:
        main.set_name(MAIN_TASK)  # it awaits the run below; draining must not wait for it
    if web is not None:
        await web.start(plein)
    running = asyncio.ensure_future(plein.run(drain_seconds=IN_FLIGHT_SECONDS))
    signals = ShutdownSignals(plein.stop, running).install()
    reloads = ReloadSignal(plein.reload).install()
    try:
        await running
    except asyncio.CancelledError:
        if not signals.received:
            raise
    finally:
        reloads.remove()
        signals.remove()
        if web is not None:
            await web.stop()
        if in_use is not None:
            in_use.release()
    if plein.problem is not None:
        raise StorageUnavailable(plein.problem)  # the CLI prints it in one line, exits non-zero
    return 0


def _no_route(method: str, path: str, handler: Callable[..., Any]) -> None:
    """`--role worker`: the Slack adapter's events route goes nowhere (nor a server of its own)."""
