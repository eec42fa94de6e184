"""Recognition: contributions by kind, the participation ladder, kudos and leaderboards.

See the README, "Recognition". Messages and reactions are observed from the dispatcher; other features
emit `Contributed` signals. Everything high-volume goes through one BatchedWriter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.config import PleinConfig
from bot.config.recognition import RecognitionConfig
from bot.events import MessagePosted, ReactionAdded
from bot.features.manifest import FeatureManifest, Peers
from bot.features.recognition.commands import RecognitionCommands
from bot.features.recognition.levels import Ladder
from bot.features.recognition.periods import LocalDays
from bot.features.recognition.ports import ContributionRow, RecognitionStore
from bot.features.recognition.seasons import Seasons
from bot.features.recognition.thanks import PlainThanks
from bot.features.recognition.tracking import Tracker
from bot.features.recognition.writer import BatchedWriter
from bot.kit import Kit
from bot.locales.recognition import MESSAGES
from bot.scheduling import Deadlines, RecurringJob, TriggerMath
from bot.signals import Contributed

FLUSH_JOB = "recognition.flush"


class RecognitionFeature:
    def __init__(self, kit: Kit, store: RecognitionStore) -> None:
        config = kit.config.recognition
        self.kit = kit
        self.store = store
        self.days = LocalDays(kit.tz)
        self.ladder = Ladder(kit, store, self.days)
        self.writer: BatchedWriter[ContributionRow] = BatchedWriter(
            store.record,
            clock=kit.clock,
            max_batch=config.flush_batch,
            interval=timedelta(milliseconds=config.flush_ms),
            after_flush=self._after_flush,
            on_first=lambda: kit.jobs.poke(FLUSH_JOB),
        )
        kit.metrics.watch_depth("contribution_writer_buffer", lambda: self.writer.pending)
        self.tracker = Tracker(
            config,
            kit.clock,
            self.days,
            self.writer,
            store.counted_messages,
            store.record_once,
            self._after_flush,
        )
        self.thanks = PlainThanks(kit, store, self.ladder, self.days)
        self.seasons = Seasons(kit, store, self.days, self.writer.flush)
        self.commands = RecognitionCommands(
            kit, store, self.ladder, self.tracker, self.writer, self.days, self.seasons
        )

    async def _after_flush(self, rows: Sequence[ContributionRow]) -> None:
        await self.ladder.check(self.ladder.due(rows))

    async def flush(self) -> None:
        await self.writer.flush()

    async def _next_flush(self) -> datetime | None:
        return self.writer.due()

    async def _flush_due(self, now: datetime) -> None:
        await self.writer.flush()

    # PersonalDataProvider
    async def export_member(self, member_id: str) -> dict[str, Any]:
        await self.writer.flush()
        return await self.store.export_member(member_id)

    async def erase_member(self, member_id: str) -> None:
        await self.writer.flush()
        self.tracker.forget(member_id)
        self.ladder.forget(member_id)
        await self.store.erase_member(member_id)


def install(kit: Kit, store: RecognitionStore, peers: Peers) -> RecognitionFeature | None:
    if not kit.config.recognition.enabled:
        return None
    feature = RecognitionFeature(kit, store)
    kit.dispatcher.on(MessagePosted, feature.tracker.on_message)
    kit.dispatcher.on(ReactionAdded, feature.tracker.on_reaction)
    kit.dispatcher.on(MessagePosted, feature.thanks.on_message)
    kit.dispatcher.on(ReactionAdded, feature.thanks.on_reaction)
    kit.signals.subscribe(Contributed, feature.tracker.on_contributed)
    feature.commands.register()
    kit.lifecycle.on_flush(feature.flush)
    kit.jobs.add_deadlines(
        Deadlines(name=FLUSH_JOB, next_due=feature._next_flush, run_due=feature._flush_due)
    )
    kit.jobs.add_recurring(
        RecurringJob(
            name="recognition.daily", cron=kit.config.recognition.daily_at, run=feature.ladder.daily
        )
    )
    if feature.seasons.on:
        kit.jobs.add_recurring(feature.seasons.job())
    kit.personal_data.register("recognition", feature)
    kit.profile.add("recognition", feature.commands.profile_line)
    return feature


def config_problems(config: PleinConfig, cron: TriggerMath) -> list[str]:
    """Cross-checks the schema cannot express (run by bot/app.py:semantic_problems)."""
    problems: list[str] = []
    problem = cron.validate(config.recognition.daily_at)
    if problem:
        problems.append(f"recognition.daily_at: {problem}")
    return problems


MANIFEST: FeatureManifest[RecognitionStore] = FeatureManifest(
    name="recognition",
    section="recognition",
    config_model=RecognitionConfig,
    messages=MESSAGES,
    install=install,
    config_problems=config_problems,
)
