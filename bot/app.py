"""The composition root: the one place that knows every part and wires them together.

It is the only module in bot/ that imports storage/, scheduler/ and adapters/ (adapters lazily,
so a console run never loads discord.py or slack-bolt).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import storage.tables  # noqa: F401  (all tables on the metadata)
from bot.adapter import Adapter
from bot.clock import Clock, ManualClock, SystemClock
from bot.commands import CommandRegistry
from bot.config import PleinConfig
from bot.dispatcher import Dispatcher
from bot.events import Event
from bot.features import calendar, core, onboarding, polls, privacy, recognition, report, spotlight
from bot.gateway import Outbox
from bot.i18n import Translator
from bot.kit import Kit
from bot.lifecycle import Lifecycle
from bot.personal_data import PersonalDataRegistry
from bot.profile import ProfileSections
from bot.runtime import (
    IN_FLIGHT_SECONDS,
    MAIN_TASK,
    ShutdownSignals,
    finish_in_flight,
    is_interactive_console,
    log_startup_summary,
    startup_summary,
)
from bot.scheduling import Jobs
from bot.signals import Signals
from scheduler import CronMath, ManualScheduler, Scheduler
from storage import Database
from storage import calendar as calendar_store
from storage import onboarding as onboarding_store
from storage import polls as polls_store
from storage import privacy as privacy_store
from storage import recognition as recognition_store
from storage import report as report_store
from storage import spotlight as spotlight_store
from storage.db import sqlite_file
from storage.members import SqlMemberStore

log = logging.getLogger("plein.app")


def make_adapter(name: str, config: PleinConfig, **options: Any) -> Adapter:
    if name == "console":
        from adapters.console import ConsoleAdapter

        return ConsoleAdapter(config, **options)
    if name == "discord":
        from adapters.discord import DiscordAdapter

        return DiscordAdapter(config, **options)
    if name == "slack":
        from adapters.slack import SlackAdapter

        return SlackAdapter(config, **options)
    raise ValueError(f"unknown adapter {name!r}; use console, discord or slack")


def default_adapter_name(config: PleinConfig) -> str:
    if config.discord.token is not None:
        return "discord"
    if config.slack.bot_token is not None:
        return "slack"
    return "console"


@dataclass
class Plein:
    """A running community bot: what adapters talk to."""

    config: PleinConfig
    db: Database
    kit: Kit
    scheduler: Scheduler
    adapter: Adapter
    features: dict[str, Any] = field(default_factory=dict)
    _ready: bool = False

    @property
    def commands(self) -> CommandRegistry:
        return self.kit.commands

    @property
    def t(self) -> Translator:
        return self.kit.t

    @property
    def clock(self) -> Clock:
        return self.kit.clock

    async def dispatch(self, event: Event) -> None:
        await self.kit.dispatcher.dispatch(event)

    async def ready(self) -> None:
        """Called by the adapter when connected; safe to call again after reconnects."""
        if self._ready:
            return
        self._ready = True
        await self.kit.lifecycle.ready()
        await self.scheduler.start()
        facts, runs = await startup_summary(self)
        log_startup_summary(facts, runs, echo=is_interactive_console(self.adapter))

    async def flush(self) -> None:
        await self.kit.lifecycle.flush()

    async def run(self, *, drain_seconds: float = 0.0) -> None:
        try:
            await self.adapter.run(self)
        finally:
            await self.close(drain_seconds=drain_seconds)

    async def close(self, *, drain_seconds: float = 0.0) -> None:
        """Stop taking events, stop the scheduler, let in-flight work finish (up to
        `drain_seconds`), flush batched writers, then close the database."""
        try:
            await self.adapter.stop()
        except Exception:
            log.exception("adapter stop failed")
        await self.scheduler.shutdown()
        if drain_seconds > 0:
            await finish_in_flight(drain_seconds)
        await self.kit.lifecycle.stop()
        await self.db.close()
        log.info("plein stopped")


async def build(
    config: PleinConfig,
    adapter: Adapter,
    *,
    clock: Clock | None = None,
    db: Database | None = None,
    reload_config: Callable[[], PleinConfig] | None = None,
) -> Plein:
    """Wire a Plein for this config and adapter. A ManualClock lets scripts move time."""
    clock = clock or SystemClock()
    db = db or Database.from_url(config.storage.url)
    await db.migrate()
    t = Translator(config.community.language)
    commands = CommandRegistry()
    outbox = Outbox(adapter, fallback_note=t("core.dm_fallback_note"))
    dispatcher = Dispatcher(outbox, commands, t)
    jobs = Jobs()
    cron = CronMath(config.community.timezone)
    kit = Kit(
        config=config,
        clock=clock,
        t=t,
        outbox=outbox,
        dispatcher=dispatcher,
        commands=commands,
        jobs=jobs,
        cron=cron,
        members=SqlMemberStore(db),
        signals=Signals(),
        personal_data=PersonalDataRegistry(),
        lifecycle=Lifecycle(),
        profile=ProfileSections(),
    )
    features: dict[str, Any] = {"core": core.install(kit)}
    features["onboarding"] = onboarding.install(kit, onboarding_store.make_store(db))
    features["recognition"] = recognition.install(kit, recognition_store.make_store(db))
    features["polls"] = polls.install(kit, polls_store.make_store(db))
    features["spotlight"] = spotlight.install(kit, spotlight_store.make_store(db))
    features["calendar"] = calendar.install(
        kit,
        calendar_store.make_store(db),
        polls=features["polls"],
        stories=features["spotlight"],
        reload=reload_config,
    )
    features["report"] = report.install(kit, report_store.make_store(db))
    features["privacy"] = privacy.install(kit, privacy_store.make_store(db))
    # One loop for both clocks; a ManualClock adds the controls that move virtual time.
    if isinstance(clock, ManualClock):
        scheduler: Scheduler = ManualScheduler(jobs, clock, cron)
    else:
        scheduler = Scheduler(jobs, clock, cron)
    return Plein(
        config=config, db=db, kit=kit, scheduler=scheduler, adapter=adapter, features=features
    )


def semantic_problems(config: PleinConfig) -> list[str]:
    """Checks the schema cannot express (cron ranges, cross-references), as 'key.path: message'."""
    problems: list[str] = []
    cron = CronMath(config.community.timezone)
    for feature in (calendar, recognition, spotlight, report):
        check = getattr(feature, "config_problems", None)
        if check is not None:
            problems += check(config, cron)
    return problems


def console_state_path(config: PleinConfig) -> Path | None:
    """The console 'platform' keeps its messages beside a SQLite file, so restarts find them."""
    database = sqlite_file(config.storage.url)
    return database.with_suffix(".console.json") if database else None


async def run_app(
    config: PleinConfig,
    adapter_name: str,
    *,
    lines: list[str] | None = None,
    json_output: bool = False,
    start: datetime | None = None,
    reload_config: Callable[[], PleinConfig] | None = None,
) -> int:
    clock: Clock = ManualClock(start) if start is not None else SystemClock()
    options: dict[str, Any] = {}
    if adapter_name == "console":
        options = {
            "lines": lines,
            "json_output": json_output,
            "state_path": console_state_path(config),
        }
    adapter = make_adapter(adapter_name, config, **options)
    plein = await build(config, adapter, clock=clock, reload_config=reload_config)
    main = asyncio.current_task()
    if main is not None:
        main.set_name(MAIN_TASK)  # it awaits the run below; draining must not wait for it
    running = asyncio.ensure_future(plein.run(drain_seconds=IN_FLIGHT_SECONDS))
    signals = ShutdownSignals(plein, running).install()
    try:
        await running
    except asyncio.CancelledError:
        if not signals.received:
            raise
    finally:
        signals.remove()
    return 0


async def upgrade_database(config: PleinConfig) -> None:
    db = Database.from_url(config.storage.url)
    try:
        await db.migrate()
    finally:
        await db.close()


async def backup_database(config: PleinConfig, target: Path) -> int:
    from storage.backup import backup

    return await backup(config.storage.url, target)


async def export_tables(config: PleinConfig, directory: Path, fmt: str) -> int:
    from storage.export import export

    return await export(config.storage.url, directory, fmt)
