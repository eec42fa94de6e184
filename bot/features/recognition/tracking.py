"""Turning events into contribution rows, with the anti-farming rules. The hot path: keep it lean.

Rules: bots and excluded channels are not tracked at all; a message earns points only when it is
at least `min_length` long and the author's message cooldown has passed (it is still counted,
with 0 points, so the 90-9-1 view sees the activity); reactions on one's own messages are ignored;
a reaction earns points (for the reactor and the author) at most once per `reaction_cooldown` per
reactor. Commands never arrive as messages, so they earn nothing.

Exactly once across an inbox replay: a message replayed after a crash is looked up among the
rows written since it was first received (its ref tells it apart); a reaction's rows carry no
emoji, so a reaction with an event id is written in its own transaction together with that id
(`record_once`): a replay finds the id and adds nothing. Reactions are far fewer than messages,
so they can afford the transaction that the batched message path avoids.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import datetime, timedelta

from bot.actions import Action
from bot.clock import Clock
from bot.config.recognition import RecognitionConfig
from bot.events import MessagePosted, ReactionAdded
from bot.features.recognition.periods import LocalDays
from bot.features.recognition.ports import ContributionRow
from bot.features.recognition.writer import BatchedWriter
from bot.signals import Contributed, ContributionKind

MESSAGE = ContributionKind.MESSAGE.value
REPLY = ContributionKind.REPLY.value
REACTION_GIVEN = ContributionKind.REACTION_GIVEN.value
REACTION_RECEIVED = ContributionKind.REACTION_RECEIVED.value


class Cooldowns:
    """Last point-earning moment per member, in memory (lost on restart, which only forgives)."""

    def __init__(self, period: timedelta, limit: int = 200_000) -> None:
        self.period = period
        self._last: dict[str, datetime] = {}
        self._limit = limit

    def take(self, member_id: str, now: datetime) -> bool:
        """True (and start the cooldown) when the member may earn points now."""
        last = self._last.get(member_id)
        if last is not None and now - last < self.period:
            return False
        self._last[member_id] = now
        if len(self._last) > self._limit:
            self._prune(now)
        return True

    def remaining(self, member_id: str, now: datetime) -> timedelta | None:
        last = self._last.get(member_id)
        if last is None or now - last >= self.period:
            return None
        return self.period - (now - last)

    def forget(self, member_id: str) -> None:
        self._last.pop(member_id, None)

    def _prune(self, now: datetime) -> None:
        self._last = {m: t for m, t in self._last.items() if now - t < self.period}


class Tracker:
    def __init__(
        self,
        config: RecognitionConfig,
        clock: Clock,
        days: LocalDays,
        writer: BatchedWriter[ContributionRow],
        counted: Callable[[str, Collection[str], datetime], Awaitable[set[str]]],
        record_once: Callable[[str, Sequence[ContributionRow], datetime], Awaitable[bool]],
        after_record: Callable[[Sequence[ContributionRow]], Awaitable[None]],
    ) -> None:
        """`counted(member, refs, since)`: which messages are already stored (replays).
        `record_once(event_id, rows, at)`: the rows in a transaction keyed by their event, False
        when that event's rows were stored before; `after_record(rows)`: what the batched writer
        does after a flush (the ladder check)."""
        self._clock = clock
        self._counted = counted
        self._record_once = record_once
        self._after_record = after_record
        self._days = days
        self._writer = writer
        self._excluded = frozenset(config.excluded_channels)
        self._min_length = config.min_length
        self._weights = config.weights
        self._w_message = config.weights.message
        self._w_reply = config.weights.reply
        self.messages = Cooldowns(config.message_cooldown)
        self.reactions = Cooldowns(config.reaction_cooldown)

    async def on_message(self, event: MessagePosted) -> Sequence[Action] | None:
        author = event.author
        if author.is_bot or event.channel in self._excluded:
            return None
        if event.replayed_from is not None and await self._counted_before(event):
            return None
        now = self._clock.now()
        reply = event.thread_of is not None or event.reply_to is not None
        points = 0
        if event.length >= self._min_length and self.messages.take(author.id, now):
            points = self._w_reply if reply else self._w_message
        row = (
            author.id,
            REPLY if reply else MESSAGE,
            event.channel,
            now,
            event.length,
            event.message_ref,
            points,
            self._days.of(now),
        )
        if self._writer.append(row):
            await self._writer.flush()
        return None

    async def _counted_before(self, event: MessagePosted) -> bool:
        """A message handed back by the inbox after a crash may have been counted before it was
        marked processed: its row then exists (same member and message ref), and it is not
        counted twice. Only the rows since it was first received are searched."""
        assert event.replayed_from is not None
        found = await self._counted(event.author.id, (event.message_ref,), event.replayed_from)
        return event.message_ref in found

    async def on_reaction(self, event: ReactionAdded) -> Sequence[Action] | None:
        reactor = event.member
        author = event.message_author
        if reactor.is_bot or author == reactor.id:
            return None
        if event.channel is not None and event.channel in self._excluded:
            return None
        now = self._clock.now()
        day = self._days.of(now)
        earns = self.reactions.take(reactor.id, now)
        given = self._weights.reaction_given if earns else 0
        ref = event.message_ref
        rows: list[ContributionRow] = [
            (reactor.id, REACTION_GIVEN, event.channel, now, 0, ref, given, day)
        ]
        if author is not None:
            received = self._weights.reaction_received if earns else 0
            rows.append((author, REACTION_RECEIVED, event.channel, now, 0, ref, received, day))
        if event.event_id is None:
            for row in rows:
                await self._writer.add(row)
        elif await self._record_once(event.event_id, rows, now):
            await self._after_record(rows)
        return None

    async def on_contributed(self, signal: Contributed) -> None:
        if signal.channel is not None and signal.channel in self._excluded:
            return
        await self._writer.add(
            (
                signal.member_id,
                signal.kind.value,
                signal.channel,
                signal.at,
                signal.length,
                signal.ref,
                self._weights.of(signal.kind),
                self._days.of(signal.at),
            )
        )

    def forget(self, member_id: str) -> None:
        self.messages.forget(member_id)
        self.reactions.forget(member_id)
