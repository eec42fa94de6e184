"""The composition root: the one place that knows every part and wires them together.

With bot/feature_list.py (which features, paired with their storage), bot/app_run.py (one `plein
run` process) and bot/cli.py it is the only part of bot/ that imports storage/, scheduler/ and
adapters/ (adapters lazily, so a console run never loads discord.py or slack-bolt).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.actions import Action, Delivery
from bot.adapter import Adapter
from bot.clock import Clock, ManualClock, SystemClock
from bot.commands import CommandRegistry
from bot.config import PleinConfig
from bot.config.shards import shard_problems
from bot.conversations import Conversations
from bot.dispatcher import Dispatcher
from bot.events import Event
from bot.feature_list import CORE, FEATURES, Feature, catalogs, with_core
from bot.features.manifest import Peers
from bot.gateway import Outbox
from bot.health import StorageUnavailable
from bot.host import TimeControl
from bot.i18n import Translator, load_catalogs
from bot.identify import IdentifyBuckets, LocalBuckets
from bot.inbox import Inbox
from bot.kit import Kit
from bot.leases import LeaseBoard, prune_job
from bot.lifecycle import Lifecycle
from bot.metrics import Metrics, NoMetrics
from bot.personal_data import PersonalDataRegistry
from bot.profile import ProfileSections
from bot.reload import ReloadResult, Reloads
from bot.runtime import (
    IN_FLIGHT_SECONDS,
    finish_in_flight,
    is_interactive_console,
    log_startup_summary,
    startup_summary,
    tune_gc_after_startup,
)
from bot.scheduling import Deadlines, Jobs, RecurringJob
from bot.signals import Signals
from scheduler import CronMath, ManualScheduler, Scheduler
from storage import Database
from storage.backup_rotation import RotatingBackups
from storage.claims import Claims
from storage.db import sqlite_file
from storage.identify_locks import identify_buckets
from storage.inbox import SqlInboxStore

log = logging.getLogger("plein.app")

INBOX_PRUNE_CRON = "17 4 * * *"
CLAIMS_PRUNE_CRON = "27 4 * * *"
"""Daily, at a quiet hour: processed inbox rows past their retention are deleted."""


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
    if name == "matrix":
        from adapters.matrix import MatrixAdapter

        return MatrixAdapter(config, **options)
    raise ValueError(f"unknown adapter {name!r}; use console, discord, slack or matrix")


def default_adapter_name(config: PleinConfig) -> str:
    if config.discord.token is not None:
        return "discord"
    if config.slack.bot_token is not None:
        return "slack"
    if config.matrix.access_token is not None:
        return "matrix"
    return "console"


@dataclass
class Plein:
    """A running community bot. Adapters see it only through the `Host` port (bot/host.py)."""

    config: PleinConfig
    db: Database
    kit: Kit
    scheduler: Scheduler
    adapter: Adapter
    inbox: Inbox
    features: dict[str, Any] = field(default_factory=dict)
    _ready: bool = False
    _connected: bool = False
    """The adapter's link to the platform (host.connected); readiness needs it and `_ready`."""
    runs_scheduler: bool = True
    """`plein run --role adapter` leaves the scheduled work to other processes."""
    identify_buckets: IdentifyBuckets = field(default_factory=LocalBuckets)
    """Discord's identify buckets: shared with the other processes on PostgreSQL."""
    tune_gc: bool = False
    """Freeze start-up's objects and raise the first gc threshold once ready (`plein run` sets it;
    process-wide, so embedding and tests leave it off)."""

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

    @property
    def healthy(self) -> bool:
        return self.db.health.healthy

    @property
    def problem(self) -> str | None:
        return self.db.health.problem

    @property
    def metrics(self) -> Metrics:
        return self.kit.metrics

    def connected(self, up: bool) -> None:
        if up != self._connected:
            log.info("platform %s", "connected" if up else "disconnected")
        self._connected = up

    async def dispatch(self, event: Event) -> None:
        await self.kit.dispatcher.dispatch(event)

    async def send(self, action: Action) -> Delivery:
        return await self.kit.outbox.send(action)

    async def ready(self) -> None:
        """Called by the adapter when connected; safe to call again after reconnects."""
        self._connected = True
        if self._ready:
            return
        self._ready = True
        await self.kit.lifecycle.ready()
        if self.runs_scheduler:
            await self.scheduler.start()
        facts, runs = await startup_summary(self.kit, self.adapter.name, self.db.location)
        log_startup_summary(facts, runs, echo=is_interactive_console(self.adapter))
        if self.tune_gc:
            tune_gc_after_startup()

    async def flush(self) -> None:
        await self.kit.lifecycle.flush()

    def reload(self) -> ReloadResult:
        """SIGHUP: re-read the config file; valid changes apply, an invalid file is refused."""
        return self.kit.reloads.reload(self.kit.reload_config)

    async def run(self, *, drain_seconds: float = 0.0) -> None:
        try:
            await self.adapter.run(self)
        finally:
            await self.close(drain_seconds=drain_seconds)

    async def stop(self) -> None:
        """Stop gracefully (a signal, a harness): the scheduler first, so a job it is running
        (a poll's tally edit, a post) finishes while the platform is still connected and no job
        starts against a closed session; then the adapter, which ends `run`."""
        await self.scheduler.shutdown(grace_seconds=IN_FLIGHT_SECONDS)
        try:
            await self.adapter.stop()
        except Exception:
            log.exception("adapter stop failed")

    async def close(self, *, drain_seconds: float = 0.0) -> None:
        """Stop the scheduler and the adapter (`stop`), let in-flight work finish (up to
        `drain_seconds`), flush batched writers, then close the database."""
        await self.stop()
        if drain_seconds > 0:
            await finish_in_flight(drain_seconds)
        await self.inbox.close()
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
    metrics: Metrics | None = None,
) -> Plein:
    """Wire a Plein for this config and adapter with the listed features (always with CORE).

    A ManualClock lets scripts and tests move time.
    """
    units = with_core(features)
    clock = clock or SystemClock()
    db = db or Database.from_url(config.storage.url)
    try:
        await db.migrate()
    except StorageUnavailable:
        await db.close()
        raise
    t = Translator(
        config.community.language,
        load_catalogs(catalogs(units)),
        timezone=config.community.timezone,
    )
    metrics = metrics or NoMetrics()
    commands = CommandRegistry()
    outbox = Outbox(adapter, fallback_note=t("core.dm_fallback_note"), metrics=metrics)
    lifecycle = Lifecycle()
    inbox = Inbox(SqlInboxStore(db), clock, flush=lifecycle.flush)
    dispatcher = Dispatcher(outbox, commands, t, seen=inbox, metrics=metrics, health=db.health)
    jobs = Jobs()
    jobs.add_recurring(RecurringJob(name="inbox.prune", cron=INBOX_PRUNE_CRON, run=inbox.prune))
    leases = LeaseBoard(Claims(db), clock)
    jobs.add_deadlines(leases.deadlines())
    jobs.add_recurring(
        RecurringJob(name="work-claims.prune", cron=CLAIMS_PRUNE_CRON, run=prune_job(leases.leases))
    )
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
        lifecycle=lifecycle,
        profile=ProfileSections(),
        reloads=Reloads(config),
        conversations=Conversations(),
        leases=leases,
        reload_config=reload_config,
        metrics=metrics,
        health=db.health,
    )
    installed: dict[str, Any] = {}
    for unit in units:
        store = kit.members if unit is CORE else unit.storage()(db)
        peers = Peers({need: installed.get(need) for need in unit.manifest.needs})
        installed[unit.name] = unit.manifest.install(kit, store, peers)
    # One loop for both clocks; a ManualClock adds the controls that move virtual time.
    add_backups(kit)
    if isinstance(clock, ManualClock):
        scheduler: Scheduler = ManualScheduler(jobs, clock, cron, metrics=metrics)
    else:
        scheduler = Scheduler(jobs, clock, cron, metrics=metrics)
    plein = Plein(
        config=config,
        db=db,
        kit=kit,
        scheduler=scheduler,
        adapter=adapter,
        inbox=inbox,
        features=installed,
        identify_buckets=identify_buckets(db),
    )
    add_health_checks(plein)
    return plein


def add_backups(kit: Kit) -> None:
    """`[storage] backup_every`: rotating SQLite backups as one more deadline source."""
    storage = kit.config.storage
    database = sqlite_file(storage.url)
    if storage.backup_every is None:
        return
    if database is None:
        log.warning("storage.backup_every applies to SQLite files only; use pg_dump")
        return
    backups = RotatingBackups(
        database, Path(storage.backup_dir), storage.backup_every, storage.backup_keep, kit.clock
    )
    kit.jobs.add_deadlines(Deadlines(backups.name, backups.next_due, backups.run_due))


def add_health_checks(plein: Plein) -> None:
    """/readyz: the database reachable and migrated, the platform connected, the scheduler on."""

    async def platform() -> str | None:
        if not plein._ready:
            return "the platform is not connected yet"
        return None if plein._connected else "the connection to the platform is down"

    async def scheduler() -> str | None:
        if not plein.runs_scheduler:
            return None  # --role adapter: other processes run it
        return None if plein.scheduler.running else "the scheduler is not running"

    health = plein.kit.health
    health.add("database", plein.db.readiness)
    health.add("platform", platform)
    health.add("scheduler", scheduler)


def semantic_problems(
    config: PleinConfig, features: Sequence[Feature[Any]] = FEATURES
) -> list[str]:
    """Checks the schema cannot express (cron ranges, cross-references), as 'key.path: message'."""
    problems: list[str] = []
    cron = CronMath(config.community.timezone)
    for unit in with_core(features):
        if unit.manifest.config_problems is not None:
            problems += unit.manifest.config_problems(config, cron)
    return problems + shard_problems(config)


def console_state_path(config: PleinConfig) -> Path | None:
    """The console 'platform' keeps its messages beside a SQLite file, so restarts find them."""
    database = sqlite_file(config.storage.url)
    return database.with_suffix(".console.json") if database else None


def console_files_dir(config: PleinConfig) -> Path | None:
    """Files the console hands members live in the data folder, beside the SQLite file."""
    database = sqlite_file(config.storage.url)
    return database.with_name(f"{database.stem}-files") if database else None


def console_history_path(config: PleinConfig) -> Path | None:
    database = sqlite_file(config.storage.url)
    return database.with_suffix(".console-history") if database else None


async def command_catalogue(config: PleinConfig) -> CommandRegistry:
    """`plein doctor`: the commands this config registers, from a throwaway in-memory community
    (the real database is only looked at, never migrated, by the doctor)."""
    plein = await build(
        config, make_adapter("console", config), db=Database.from_url("sqlite+aiosqlite://")
    )
    try:
        return plein.kit.commands
    finally:
        await plein.close()
