"""/poll, /poll close|results|export|add and /stelling: parse, check rights, call the service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.actions import Action, Attachment, UpdateMessage
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.events import Actor
from bot.features.polls import render
from bot.features.polls.ports import Poll, PollKind
from bot.features.polls.service import MAX_OPTION, MAX_OPTIONS, PollRequest, PollsService
from bot.kit import Kit


class PollCommands:
    def __init__(self, kit: Kit, service: PollsService) -> None:
        self.kit = kit
        self.service = service
        self.t = kit.t

    def specs(self) -> list[CommandSpec]:
        ref = Option("ref")
        return [
            CommandSpec(
                path=("poll",),
                handler=self.new,
                alias="new",
                options=(
                    Option("question", max_length=300),
                    Option("option", variadic=True, min_count=2, max_count=10, max_length=55),
                    Option("max_choices", OptionKind.INTEGER, required=False, min_value=1),
                    Option("anonymous", OptionKind.BOOLEAN, required=False),
                    Option(
                        "results", OptionKind.CHOICE, required=False, choices=("live", "hidden")
                    ),
                    Option("duration", OptionKind.DURATION, required=False),
                    Option("closes", required=False),
                    Option("allow_add", OptionKind.BOOLEAN, required=False),
                ),
            ),
            CommandSpec(path=("poll", "close"), handler=self.close, options=(ref,)),
            CommandSpec(path=("poll", "results"), handler=self.results, options=(ref,)),
            CommandSpec(path=("poll", "export"), handler=self.export, options=(ref,)),
            CommandSpec(
                path=("poll", "add"),
                handler=self.add,
                options=(ref, Option("option", max_length=MAX_OPTION)),
            ),
            CommandSpec(
                path=("stelling",),
                handler=self.stelling,
                options=(
                    Option("statement", max_length=300),
                    Option("duration", OptionKind.DURATION, required=False),
                    Option("closes", required=False),
                ),
            ),
        ]

    # ---- helpers -----------------------------------------------------------------------------

    def _channel(self, call: CommandCall) -> str:
        return call.channel or self.kit.config.community.default_channel

    def _closes(self, call: CommandCall) -> datetime | None:
        raw = call.options.get("closes")
        if raw is None:
            return None
        try:
            moment = datetime.fromisoformat(str(raw))
        except ValueError:
            raise UsageError("polls.error.closes_format", value=str(raw)) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.kit.tz)
        return moment

    async def _poll(self, call: CommandCall) -> Poll:
        raw = str(call.options.get("ref", "")).strip().lstrip("#")
        poll = await self.service.store.get(int(raw)) if raw.isdigit() else None
        if poll is None:
            raise UsageError("polls.error.unknown_ref", ref=raw)
        return poll

    def _may_manage(self, poll: Poll, actor: Actor) -> bool:
        return (
            actor.is_manager
            or self.kit.is_manager(actor.id)  # by id: actor.name is a display name
            or (poll.creator_id is not None and poll.creator_id == actor.id)
        )

    # ---- handlers ----------------------------------------------------------------------------

    async def new(self, call: CommandCall) -> Sequence[Action]:
        opts = call.options
        results = opts.get("results")
        request = PollRequest(
            question=opts["question"],
            options=tuple(opts["option"]),
            channel=self._channel(call),
            creator_id=call.actor.id,
            max_choices=opts.get("max_choices", 1),
            anonymous=opts.get("anonymous", self.service.config.anonymous_by_default),
            live_results=results != "hidden",
            allow_add=opts.get("allow_add", False),
            duration=opts.get("duration"),
            closes_at=self._closes(call),
        )
        poll = await self.service.create(request)
        return [call.reply(self.t("polls.created", id=poll.id))]

    async def stelling(self, call: CommandCall) -> Sequence[Action]:
        request = PollRequest(
            question=call.options["statement"],
            options=(),
            channel=self._channel(call),
            creator_id=call.actor.id,
            anonymous=self.service.config.stelling_anonymous,
            duration=call.options.get("duration"),
            closes_at=self._closes(call),
            kind=PollKind.STELLING,
        )
        poll = await self.service.create(request)
        return [call.reply(self.t("polls.stelling.created", id=poll.id))]

    async def close(self, call: CommandCall) -> Sequence[Action]:
        poll = await self._poll(call)
        if not self._may_manage(poll, call.actor):
            raise UsageError("polls.error.not_allowed", id=poll.id)
        if poll.closed_at is not None:
            raise UsageError("polls.error.already_closed", id=poll.id)
        closed = await self.service.close(poll.id, self.kit.clock.now())
        key = "polls.closed_now" if closed else "polls.error.already_closed"
        return [call.reply(self.t(key, id=poll.id))]

    async def results(self, call: CommandCall) -> Sequence[Action]:
        poll = await self._poll(call)
        manager = self._may_manage(poll, call.actor)
        is_open = poll.closed_at is None
        if is_open and not poll.live_results and not manager:
            raise UsageError("polls.error.hidden", id=poll.id)
        tally = await self.service.store.tally(poll.id)
        lines = [render.title(self.t, poll, closed=not is_open), *render.chart(poll, tally)]
        lines.append(self.t("polls.footer.voters", count=tally.voters))
        if poll.kind is PollKind.STELLING:
            agree, neutral, disagree = render.leaning(tally)
            lines.append(
                self.t("polls.stelling.leaning", agree=agree, neutral=neutral, disagree=disagree)
            )
        if manager and not poll.anonymous:
            votes = await self.service.store.named_votes(poll.id)
            who = render.who_voted(poll, votes, self.kit.outbox.mention)
            if who:
                lines.append(self.t("polls.results.who"))
                lines += who
        return [call.reply("\n".join(lines))]

    async def export(self, call: CommandCall) -> Sequence[Action]:
        poll = await self._poll(call)
        if not self._may_manage(poll, call.actor):
            raise UsageError("polls.error.not_allowed", id=poll.id)
        tally = await self.service.store.tally(poll.id)
        votes = [] if poll.anonymous else await self.service.store.named_votes(poll.id)
        names: dict[str, str] = {}
        for member_id in {v.member_id for v in votes}:
            info = await self.kit.members.get(member_id)
            names[member_id] = info.name if info else ""
        data = render.csv_export(poll, tally, votes, names)
        attachment = Attachment(filename=f"poll-{poll.id}.csv", data=data)
        return [call.reply(self.t("polls.exported", id=poll.id), files=(attachment,))]

    async def add(self, call: CommandCall) -> Sequence[Action]:
        poll = await self._poll(call)
        now = self.kit.clock.now()
        if not poll.is_open(now):
            raise UsageError("polls.vote.closed", id=poll.id)
        if not poll.allow_add:
            raise UsageError("polls.error.no_adding", id=poll.id)
        label = str(call.options["option"]).strip()
        if not label:
            raise UsageError("polls.error.option_empty")
        if len(label) > MAX_OPTION:
            raise UsageError("polls.error.option_too_long", option=label, max=MAX_OPTION)
        if label.lower() in {o.label.lower() for o in poll.options}:
            raise UsageError("polls.error.duplicate_option")
        position = await self.service.store.add_option(poll.id, label, call.actor.id, MAX_OPTIONS)
        if position is None:
            raise UsageError("polls.error.too_many_options", max=MAX_OPTIONS)
        actions: list[Action] = []
        updated = await self.service.store.get(poll.id)
        if updated is not None and updated.message_ref:
            tally = await self.service.store.tally(poll.id)
            actions.append(
                UpdateMessage(
                    ref=updated.message_ref,
                    text=render.open_message(self.t, updated, tally),
                    choices=render.choices(updated),
                )
            )
        actions.append(call.reply(self.t("polls.option_added", id=poll.id, option=label)))
        return actions
