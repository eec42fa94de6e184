"""Community health: fast answers, help to newcomers, connections, active hours, ladder history.

See the README, "Community health". Messages and reactions are observed from the dispatcher and
turned into ids-and-times rows (bot/features/health/ingest.py) written in batches; the weekly
report reads the aggregates (bot/features/report/health_figures.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.config.health import HealthConfig
from bot.events import MessagePosted, ReactionAdded
from bot.features.health.ingest import HealthTracker
from bot.features.health.nudge import Nudges
from bot.features.health.ports import HealthRow, HealthStore
from bot.features.health.prompts import PromptAsks
from bot.features.manifest import FeatureManifest, Peers
from bot.features.recognition.writer import BatchedWriter
from bot.features.report.weeks import week_of
from bot.kit import Kit
from bot.locales.health import MESSAGES
from bot.scheduling import Deadlines, RecurringJob

FLUSH_JOB = "health.flush"
NUDGE_JOB = "health.nudge"
LADDER_CRON = "5 0 * * mon"
"""The weekly ladder snapshot: Monday 00:05 local time, for the week that starts then."""


class HealthFeature:
    def __init__(self, kit: Kit, store: HealthStore) -> None:
        self.kit = kit
        self.store = store
        recognition = kit.config.recognition
        self.writer: BatchedWriter[HealthRow] = BatchedWriter(
            store.record,
            clock=kit.clock,
            max_batch=recognition.flush_batch,
            interval=timedelta(milliseconds=recognition.flush_ms),
            on_first=lambda: kit.jobs.poke(FLUSH_JOB),
        )
        kit.metrics.watch_depth("health_writer_buffer", lambda: self.writer.pending)
        self.tracker = HealthTracker(
            kit.config.health,
            kit.clock,
            kit.tz,
            self.writer,
            excluded_channels=frozenset(recognition.excluded_channels),
        )
        self.nudges = Nudges(kit, store)

    async def flush(self) -> None:
        await self.writer.flush()

    async def _next_flush(self) -> datetime | None:
        return self.writer.due()

    async def _flush_due(self, now: datetime) -> None:
        await self.writer.flush()
        self.kit.jobs.poke(NUDGE_JOB)  # a flushed question may be the one to nudge about next

    async def _next_nudge(self) -> datetime | None:
        return await self.nudges.next_due()

    async def nudge(self, now: datetime) -> None:
        await self.writer.flush()  # a reply still in the buffer answers its question
        await self.nudges.run(now)

    async def snapshot_ladder(self, fire_time: datetime) -> None:
        week = week_of(fire_time, self.kit.tz)
        await self.store.snapshot_ladder(week)
        await self.store.prune_hours(week - timedelta(days=7))

    # PersonalDataProvider
    async def export_member(self, member_id: str) -> dict[str, Any]:
        await self.writer.flush()
        return await self.store.export_member(member_id)

    async def erase_member(self, member_id: str) -> None:
        await self.writer.flush()
        self.tracker.forget(member_id)
        await self.store.erase_member(member_id)


def install(kit: Kit, store: HealthStore, peers: Peers) -> HealthFeature | None:
    if not kit.config.health.enabled:
        return None
    feature = HealthFeature(kit, store)
    kit.dispatcher.on(MessagePosted, feature.tracker.on_message)
    kit.dispatcher.on(ReactionAdded, feature.tracker.on_reaction)
    feature.nudges.register()
    kit.lifecycle.on_flush(feature.flush)
    kit.jobs.add_deadlines(
        Deadlines(name=FLUSH_JOB, next_due=feature._next_flush, run_due=feature._flush_due)
    )
    kit.jobs.add_deadlines(
        Deadlines(name=NUDGE_JOB, next_due=feature._next_nudge, run_due=feature.nudge)
    )
    kit.jobs.add_recurring(
        RecurringJob(
            "health.ladder", LADDER_CRON, feature.snapshot_ladder, catch_up=timedelta(days=6)
        )
    )
    kit.personal_data.register("health", feature)
    calendar = peers.get("calendar")
    if calendar is not None and hasattr(calendar, "add_post_listener"):
        asks = PromptAsks(store, on_recorded=lambda: kit.jobs.poke(NUDGE_JOB))
        calendar.add_post_listener(asks.on_posted)
    return feature


MANIFEST: FeatureManifest[HealthStore] = FeatureManifest(
    name="health",
    section="health",
    config_model=HealthConfig,
    messages=MESSAGES,
    install=install,
    needs=("calendar",),
)
