"""Turning messages and reactions into health rows. On the message path: keep it lean.

Per message: an hour-of-week mark (once per member, hour and week, deduplicated in memory), a
first-post candidate (once per member per process; storage keeps the real first), a question in
a help channel, and for a reply the first-reply candidate and the pair count. Per reaction: the
pair count and the hour mark. All go through one BatchedWriter; nothing of the text is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actions import Action
from bot.clock import Clock
from bot.config.health import HealthConfig
from bot.events import MessagePosted, ReactionAdded
from bot.features.health.ports import (
    Asked,
    AskKind,
    FirstPost,
    HealthRow,
    Replied,
    Seen,
    Touched,
)
from bot.features.recognition.writer import BatchedWriter


class LocalHours:
    """The local week (its Monday) and hour-of-week slot of a moment, cached per hour."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._start: datetime | None = None
        self._end: datetime | None = None
        self._value: tuple[date, int] = (date.min, 0)

    def of(self, moment: datetime) -> tuple[date, int]:
        start, end = self._start, self._end
        if start is not None and end is not None and start <= moment < end:
            return self._value
        local = moment.astimezone(self.tz)
        day = local.date()
        week = day - timedelta(days=day.weekday())
        self._value = (week, day.weekday() * 24 + local.hour)
        hour_start = local.replace(minute=0, second=0, microsecond=0)
        self._start, self._end = hour_start, hour_start + timedelta(hours=1)
        return self._value


class HealthTracker:
    def __init__(
        self,
        config: HealthConfig,
        clock: Clock,
        tz: ZoneInfo,
        writer: BatchedWriter[HealthRow],
        excluded_channels: frozenset[str] = frozenset(),
    ) -> None:
        self._clock = clock
        self._hours = LocalHours(tz)
        self._writer = writer
        self._questions = frozenset(config.question_channels)
        self._excluded = excluded_channels
        self._posted: set[str] = set()
        self._seen_week: date | None = None
        self._seen: set[tuple[int, str]] = set()

    async def _add(self, row: HealthRow) -> None:
        if self._writer.append(row):
            await self._writer.flush()

    async def _mark(self, week: date, slot: int, member_id: str) -> None:
        if week != self._seen_week:
            self._seen_week, self._seen = week, set()
        key = (slot, member_id)
        if key not in self._seen:
            self._seen.add(key)
            await self._add(Seen(week, slot, member_id))

    async def on_message(self, event: MessagePosted) -> Sequence[Action] | None:
        author = event.author
        if author.is_bot or event.channel in self._excluded:
            return None
        now = self._clock.now()
        week, slot = self._hours.of(now)
        who = author.id
        await self._mark(week, slot, who)
        if who not in self._posted:
            self._posted.add(who)
            await self._add(FirstPost(who, event.message_ref, event.channel, now))
        is_reply = event.thread_of is not None or event.reply_to is not None
        if not is_reply:
            if event.question and event.channel in self._questions:
                await self._add(Asked(event.message_ref, AskKind.QUESTION, who, event.channel, now))
            return None
        refs = tuple(dict.fromkeys(r for r in (event.reply_to, event.thread_of) if r))
        await self._add(Replied(refs, who, now))
        to = event.reply_to_author
        if to is not None and to != who:
            await self._add(Touched(week, who, to, 1, 0))
        return None

    async def on_reaction(self, event: ReactionAdded) -> Sequence[Action] | None:
        reactor = event.member
        if reactor.is_bot or (event.channel is not None and event.channel in self._excluded):
            return None
        week, slot = self._hours.of(self._clock.now())
        await self._mark(week, slot, reactor.id)
        to = event.message_author
        if to is not None and to != reactor.id:
            await self._add(Touched(week, reactor.id, to, 0, 1))
        return None

    def forget(self, member_id: str) -> None:
        self._posted.discard(member_id)
        self._seen = {key for key in self._seen if key[1] != member_id}
