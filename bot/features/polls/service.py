"""Polls and stellingen: create, vote, coalesced tally edits, close exactly once, summaries."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.actions import Action, PostMessage, Reply, UpdateMessage
from bot.commands import UsageError
from bot.config.polls import MAX_DURATION
from bot.events import ChoicePicked, MessagePosted
from bot.features.polls import render
from bot.features.polls.ports import (
    CLOSE_CLAIM,
    NewPoll,
    Poll,
    PollKind,
    PollStore,
    VoteOutcome,
    VoteStatus,
)
from bot.kit import Kit
from bot.leases import Lease
from bot.signals import Contributed, ContributionKind

log = logging.getLogger("plein.polls")

MIN_OPTIONS = 2
MAX_OPTIONS = 10
MAX_QUESTION = 300
MAX_OPTION = 55


@dataclass(frozen=True)
class PollRequest:
    """What a creator asked for, before validation."""

    question: str
    options: tuple[str, ...]
    channel: str
    creator_id: str | None = None
    max_choices: int = 1
    anonymous: bool = False
    live_results: bool = True
    allow_add: bool = False
    duration: timedelta | None = None
    closes_at: datetime | None = None
    kind: PollKind = PollKind.POLL
    parent_id: int | None = None


def voter_key(poll: Poll, member_id: str) -> str | None:
    """Named polls: the member id. Anonymous: an HMAC under the poll's secret salt (None once closed)."""
    if not poll.anonymous:
        return member_id
    if poll.salt is None:
        return None
    return hmac.new(bytes.fromhex(poll.salt), member_id.encode(), hashlib.sha256).hexdigest()


class PollsService:
    def __init__(self, kit: Kit, store: PollStore) -> None:
        self.kit = kit
        self.store = store
        self.config = kit.config.polls
        self.t = kit.t
        self._dirty: dict[int, datetime] = {}
        self._last_edit: dict[int, datetime] = {}
        self._threads: dict[str, int] = {}
        self.closes = kit.leases.work(
            CLOSE_CLAIM,
            self._announce_close,
            claim=lambda key, now: store.claim_close(int(key), now),
        )

    # ---- creating ----------------------------------------------------------------------------

    def validate(self, request: PollRequest, now: datetime) -> datetime:
        """Raise UsageError for bad input; return the close time."""
        question = request.question.strip()
        if not question:
            raise UsageError("polls.error.question_empty")
        if len(question) > MAX_QUESTION:
            raise UsageError("polls.error.question_too_long", max=MAX_QUESTION)
        if request.kind is PollKind.POLL:
            options = [o.strip() for o in request.options]
            if len(options) < MIN_OPTIONS:
                raise UsageError("polls.error.too_few_options", min=MIN_OPTIONS)
            if len(options) > MAX_OPTIONS:
                raise UsageError("polls.error.too_many_options", max=MAX_OPTIONS)
            for option in options:
                if not option:
                    raise UsageError("polls.error.option_empty")
                if len(option) > MAX_OPTION:
                    raise UsageError("polls.error.option_too_long", option=option, max=MAX_OPTION)
            if len({o.lower() for o in options}) != len(options):
                raise UsageError("polls.error.duplicate_option")
            if not 1 <= request.max_choices <= len(options):
                raise UsageError("polls.error.max_choices", max=len(options))
        if request.closes_at is not None:
            closes_at = request.closes_at
        else:
            duration = request.duration or self.config.default_duration
            if duration > MAX_DURATION:  # checked before adding: a huge one overflows the date
                raise UsageError("polls.error.too_long_duration", days=MAX_DURATION.days)
            closes_at = now + duration
        if closes_at <= now:
            raise UsageError("polls.error.closes_past")
        if closes_at - now > MAX_DURATION:
            raise UsageError("polls.error.too_long_duration", days=MAX_DURATION.days)
        return closes_at

    async def create(self, request: PollRequest) -> Poll:
        """Validate, store (committed), post the message, remember its ref. Raises UsageError."""
        now = self.kit.clock.now()
        closes_at = self.validate(request, now)
        if request.kind is PollKind.STELLING:
            options: tuple[str, ...] = tuple(
                self.t(f"polls.scale.{i}") for i in range(1, render.SCALE + 1)
            )
        else:
            options = tuple(o.strip() for o in request.options)
        poll = await self.store.create(
            NewPoll(
                kind=request.kind,
                question=request.question.strip(),
                channel=request.channel,
                options=options,
                creator_id=request.creator_id,
                max_choices=request.max_choices if request.kind is PollKind.POLL else 1,
                anonymous=request.anonymous,
                live_results=request.live_results,
                allow_add=request.allow_add and request.kind is PollKind.POLL,
                created_at=now,
                closes_at=closes_at,
                salt=secrets.token_hex(32) if request.anonymous else None,
                parent_id=request.parent_id,
            )
        )
        tally = await self.store.tally(poll.id)
        text = render.open_message(self.t, poll, tally)
        delivery = await self.kit.outbox.send(
            PostMessage(
                channel=poll.channel,
                text=text,
                choices=render.choices(poll),
                open_thread=(
                    render.title(self.t, poll)[:100] if poll.kind is PollKind.STELLING else None
                ),
            )
        )
        if delivery.ok and delivery.ref:
            await self.store.set_message(poll.id, delivery.ref, delivery.thread_ref)
            if poll.kind is PollKind.STELLING:
                self._threads[delivery.ref] = poll.id
                if delivery.thread_ref:
                    self._threads[delivery.thread_ref] = poll.id
        else:
            log.warning("poll %s could not be posted: %s", poll.id, delivery.reason)
        self.kit.jobs.poke("polls.close")
        return await self.store.get(poll.id) or poll

    # ---- PollPublisher (the content calendar) ------------------------------------------------

    async def publish_poll(
        self,
        *,
        channel: str,
        question: str,
        options: Sequence[str],
        creator_id: str | None = None,
        closes_at: datetime | None = None,
    ) -> str | None:
        request = PollRequest(
            question=question,
            options=tuple(options),
            channel=channel,
            creator_id=creator_id,
            anonymous=self.config.anonymous_by_default,
            closes_at=closes_at,
        )
        return await self._publish(request)

    async def publish_stelling(
        self,
        *,
        channel: str,
        statement: str,
        creator_id: str | None = None,
        closes_at: datetime | None = None,
    ) -> str | None:
        request = PollRequest(
            question=statement,
            options=(),
            channel=channel,
            creator_id=creator_id,
            anonymous=self.config.stelling_anonymous,
            closes_at=closes_at,
            kind=PollKind.STELLING,
        )
        return await self._publish(request)

    async def _publish(self, request: PollRequest) -> str | None:
        try:
            poll = await self.create(request)
        except UsageError as err:
            log.warning("calendar %s not posted: %s %s", request.kind, err.key, err.params)
            return None
        return poll.message_ref

    # ---- voting ------------------------------------------------------------------------------

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        reply_to = event.interaction.id
        parsed = render.parse_choice_id(event.choice_id)
        poll = await self.store.get(parsed[0]) if parsed else None
        if parsed is None or poll is None:
            return [Reply(interaction=reply_to, text=self.t("polls.vote.unknown"))]
        outcome = await self.vote(poll, event.actor.id, parsed[1], event.event_id)
        return [Reply(interaction=reply_to, text=self.confirmation(poll, outcome))]

    async def vote(
        self, poll: Poll, member_id: str, position: int, event_id: str | None = None
    ) -> VoteOutcome:
        """Record the pick (committed before anyone is told), then signal and schedule an edit."""
        now = self.kit.clock.now()
        key = voter_key(poll, member_id)
        if key is None or not poll.is_open(now):
            return VoteOutcome(VoteStatus.CLOSED)
        stored_id = None if poll.anonymous else member_id
        stamp = poll.created_at if poll.anonymous else now
        outcome = await self.store.cast(poll.id, key, stored_id, position, now, stamp, event_id)
        if outcome.status is VoteStatus.RECORDED:
            if outcome.first_vote:
                await self.kit.signals.emit(
                    Contributed(
                        member_id=member_id,
                        kind=ContributionKind.VOTE,
                        at=now,
                        channel=poll.channel,
                        ref=poll.message_ref,
                    )
                )
            self.mark_dirty(poll.id, now)
        return outcome

    def confirmation(self, poll: Poll, outcome: VoteOutcome) -> str:
        t = self.t
        if outcome.status is VoteStatus.CLOSED:
            return t("polls.vote.closed", id=poll.id)
        if outcome.status is VoteStatus.UNKNOWN_POLL:
            return t("polls.vote.unknown")
        if outcome.status is VoteStatus.UNKNOWN_OPTION:
            return t("polls.vote.unknown_option")
        if outcome.status is VoteStatus.TOO_MANY:
            return t("polls.vote.too_many", max=poll.max_choices)
        labels = [poll.label(p) for p in outcome.choices]
        if not labels:
            return t("polls.vote.none", id=poll.id)
        if poll.kind is PollKind.STELLING:
            return t("polls.vote.position", id=poll.id, choice=labels[0])
        if poll.single_choice:
            return t("polls.vote.single", id=poll.id, choice=labels[0])
        return t("polls.vote.multi", id=poll.id, choices=", ".join(labels))

    # ---- coalesced tally edits ---------------------------------------------------------------

    def mark_dirty(self, poll_id: int, now: datetime) -> None:
        if poll_id in self._dirty:
            return
        last = self._last_edit.get(poll_id)
        due = now if last is None else max(now, last + self.config.edit_interval)
        self._dirty[poll_id] = due
        self.kit.jobs.poke("polls.tally")

    async def next_edit(self) -> datetime | None:
        return min(self._dirty.values(), default=None)

    async def run_edits(self, now: datetime) -> None:
        for poll_id, due in sorted(self._dirty.items(), key=lambda item: item[1]):
            if due > now:
                continue
            del self._dirty[poll_id]
            self._last_edit[poll_id] = now
            poll = await self.store.get(poll_id)
            if poll is None or poll.closed_at is not None or poll.message_ref is None:
                continue
            tally = await self.store.tally(poll_id)
            text = render.open_message(self.t, poll, tally)
            await self.kit.outbox.send(UpdateMessage(ref=poll.message_ref, text=text))

    # ---- closing -----------------------------------------------------------------------------

    async def run_closes(self, now: datetime) -> None:
        for poll_id in await self.store.overdue(now):
            await self.close(poll_id, now)

    async def close(self, poll_id: int, now: datetime) -> bool:
        """Close and announce once across processes: only the caller whose claim won announces;
        a closer that died before announcing is taken over after its lease (`closes`)."""
        return await self.closes.run(str(poll_id), now)

    async def _announce_close(self, key: str, lease: Lease, now: datetime) -> None:
        poll_id = int(key)
        self._dirty.pop(poll_id, None)
        self._last_edit.pop(poll_id, None)
        poll = await self.store.get(poll_id)
        if poll is None:
            return
        tally = await self.store.tally(poll_id)
        for ref in [r for r, pid in self._threads.items() if pid == poll_id]:
            del self._threads[ref]
        post = PostMessage(
            channel=poll.channel,
            text="",
            key=f"{CLOSE_CLAIM}:{poll_id}",
            look_first=lease.taken_over,
        )
        if not tally.voters:
            await self._close_unanswered(poll, post)
            return
        if poll.kind is PollKind.STELLING:
            earlier = await self.store.tally(poll.parent_id) if poll.parent_id else None
            text = render.stelling_summary(self.t, poll, tally, earlier)
        else:
            text = render.final_message(self.t, poll, tally)
        if poll.message_ref:
            await self.kit.outbox.send(UpdateMessage(ref=poll.message_ref, text=text, choices=()))
        await self.kit.outbox.send(dataclasses.replace(post, text=text))
        if (
            poll.kind is PollKind.STELLING
            and poll.parent_id is None
            and self.config.second_round
            and tally.voters
            and not (lease.taken_over and await self.store.children(poll.id))
        ):
            await self._second_round(poll)

    async def _close_unanswered(self, poll: Poll, post: PostMessage) -> None:
        """Nobody voted: the poll's own message becomes one short line, with no second post
        (an empty chart posted again would only repeat that nobody took part)."""
        text = render.closed_unanswered(self.t, poll)
        if poll.message_ref:
            await self.kit.outbox.send(UpdateMessage(ref=poll.message_ref, text=text, choices=()))
        else:
            await self.kit.outbox.send(dataclasses.replace(post, text=text))

    async def _second_round(self, poll: Poll) -> None:
        try:
            await self.create(
                PollRequest(
                    question=self.t("polls.stelling.round2", statement=poll.question)[:300],
                    options=(),
                    channel=poll.channel,
                    creator_id=poll.creator_id,
                    anonymous=poll.anonymous,
                    live_results=poll.live_results,
                    duration=self.config.second_round_duration,
                    kind=PollKind.STELLING,
                    parent_id=poll.id,
                )
            )
        except UsageError as err:
            log.warning("second round for stelling %s not posted: %s", poll.id, err.key)

    # ---- stelling discussion -----------------------------------------------------------------

    async def load_threads(self) -> None:
        self._threads = await self.store.open_stelling_threads()

    async def on_message(self, event: MessagePosted) -> Sequence[Action]:
        if not self._threads:
            return []
        poll_id = self._threads.get(event.thread_of or "") or self._threads.get(
            event.reply_to or ""
        )
        if poll_id is not None and not event.author.is_bot:
            await self.store.count_reply(poll_id)
        return []
