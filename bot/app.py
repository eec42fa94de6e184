"""The composition root: the one place that knows every part and wires them together.

With bot/feature_list.py (which features, paired with their storage) and bot/cli.py it is the only
part of bot/ that imports storage/, scheduler/ and adapters/ (adapters lazily, so a console run
never loads discord.py or slack-bolt).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.actions import Action, Delivery
from bot.adapter import Adapter
from bot.clock import Clock, ManualClock, SystemClock
from bot.commands import CommandRegistry
from bot.config import PleinConfig
from bot.conversations import Conversations
from bot.dispatcher import Dispatcher
from bot.events import Event
from bot.feature_list import CORE, FEATURES, Feature, catalogs, with_core
from bot.features.manifest import Peers
from bot.gateway import Outbox
from bot.host import TimeControl
from bot.i18n import Translator, load_catalogs
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
from storage.db import sqlite_file

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
    """A running community bot. Adapters see it only through the `Host` port (bot/host.py)."""

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

    @property
    def time_control(self) -> TimeControl | None:
        """The scheduler moves simulated time on a ManualClock; a real clock has no such knob."""
        if not isinstance(self.clock, ManualClock):
            return None
        scheduler = self.scheduler
        return scheduler if isinstance(scheduler, TimeControl) else None

    async def dispatch(self, event: Event) -> None:
        await self.kit.dispatcher.dispatch(event)

    async def send(self, action: Action) -> Delivery:
        return await self.kit.outbox.send(action)

    async def ready(self) -> None:
        """Called by the adapter when connected; safe to call again after reconnects."""
        if self._ready:
            return
        self._ready = True
        await self.kit.lifecycle.ready()
        await self.scheduler.start()
        facts, runs = await startup_summary(self.kit, self.adapter.name, self.db.location)
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
    features: Sequence[Feature[Any]] = FEATURES,
) -> Plein:
    """Wire a Plein for this config and adapter with the listed features (always with CORE).

    A ManualClock lets scripts and tests move time.
    """
    units = with_core(features)
    clock = clock or SystemClock()
    db = db or Database.from_url(config.storage.url)
    await db.migrate()
    t = Translator(
        config.community.language,
        load_catalogs(catalogs(units)),
        timezone=config.community.timezone,
    )
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
        members=CORE.storage()(db),
        signals=Signals(),
        personal_data=PersonalDataRegistry(),
        lifecycle=Lifecycle(),
        profile=ProfileSections(),
        conversations=Conversations(),
        reload_config=reload_config,
    )
    installed: dict[str, Any] = {}
    for unit in units:
        store = kit.members if unit is CORE else unit.storage()(db)
        peers = Peers({need: installed.get(need) for need in unit.manifest.needs})
        installed[unit.name] = unit.manifest.install(kit, store, peers)
    # One loop for both clocks; a ManualClock adds the controls that move virtual time.
    if isinstance(clock, ManualClock):
        scheduler: Scheduler = ManualScheduler(jobs, clock, cron)
    else:
        scheduler = Scheduler(jobs, clock, cron)
    return Plein(
        config=config, db=db, kit=kit, scheduler=scheduler, adapter=adapter, features=installed
    )


def semantic_problems(
    config: PleinConfig, features: Sequence[Feature[Any]] = FEATURES
) -> list[str]:
    """Checks the schema cannot express (cron ranges, cross-references), as 'key.path: message'."""
    problems: list[str] = []
    cron = CronMath(config.community.timezone)
    for unit in with_core(features):
        if unit.manifest.config_problems is not None:
            problems += unit.manifest.config_problems(config, cron)
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
    signals = ShutdownSignals(adapter, running).install()
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
