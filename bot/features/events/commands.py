"""/event create|list|cancel|move, the RSVP buttons and the hosts' 'who came?' buttons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from bot.actions import Action, Reply, SendDM
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.events import Actor, ChoicePicked
from bot.features.calendar.hosts import matches
from bot.features.events.ports import Event, NewEvent, Rsvp
from bot.features.events.service import EventsService
from bot.timespec import parse_clock_time

MAX_LIST = 10
DAY_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")
"""How people write a day here (18-04-2026), and ISO."""


def _day(text: str) -> date | None:
    for fmt in DAY_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


class EventCommands:
    def __init__(self, service: EventsService) -> None:
        self.service = service
        self.kit = service.kit

    def register(self) -> None:
        add = self.kit.commands.add
        add(
            CommandSpec(
                path=("event", "create"),
                handler=self.create,
                options=(
                    Option("title", max_length=200),
                    Option("date", max_length=10),
                    Option("time", max_length=5),
                    Option("place", required=False, max_length=200),
                    Option(
                        "limit", OptionKind.INTEGER, required=False, min_value=1, max_value=10_000
                    ),
                ),
            )
        )
        add(CommandSpec(path=("event", "list"), handler=self.list))
        add(
            CommandSpec(
                path=("event", "cancel"),
                handler=self.cancel,
                options=(Option("event", OptionKind.INTEGER, min_value=1),),
            )
        )
        add(
            CommandSpec(
                path=("event", "move"),
                handler=self.move,
                options=(
                    Option("event", OptionKind.INTEGER, min_value=1),
                    Option("date", max_length=10),
                    Option("time", max_length=5),
                ),
            )
        )

    # ---- who may ---------------------------------------------------------------------------

    def _manager(self, actor: Actor) -> bool:
        return actor.is_manager or self.kit.is_manager(actor.id)  # never by display name

    def _theme_host(self, actor: Actor) -> bool:
        # by id, as managers are: a display name is anyone's to choose
        themes = self.kit.config.calendar.themes
        return any(matches(handle, actor.id) for theme in themes for handle in theme.hosts)

    def _runs(self, actor: Actor, event: Event) -> bool:
        return self._manager(actor) or actor.id in event.hosts or actor.id == event.created_by

    def _moment(self, day_text: str, time_text: str) -> datetime:
        day = _day(day_text)
        if day is None:
            raise UsageError("events.bad_date", value=day_text)
        try:
            at: time = parse_clock_time(time_text)
        except ValueError:
            raise UsageError("events.bad_time", value=time_text) from None
        moment = datetime.combine(day, at, tzinfo=self.kit.tz)
        if moment <= self.kit.clock.now():
            raise UsageError("events.in_past", when=self.kit.t.datetime(moment))
        return moment

    async def _event(self, call: CommandCall) -> Event:
        event = await self.service.store.get(int(call.options["event"]))
        if event is None:
            raise UsageError("events.unknown", id=call.options["event"])
        if not self._runs(call.actor, event):
            raise UsageError("events.not_yours", title=event.title)
        return event

    # ---- handlers --------------------------------------------------------------------------

    async def create(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        actor = call.actor
        if not (
            self._manager(actor)
            or (self.service.config.hosts_may_create and self._theme_host(actor))
        ):
            return [call.reply(t("events.create.not_allowed"))]
        title = " ".join(str(call.options["title"]).split())
        if not title:
            raise UsageError("events.no_title")
        starts = self._moment(str(call.options["date"]), str(call.options["time"]))
        limit = call.options.get("limit")
        event = await self.service.create(
            NewEvent(
                title=title,
                starts_at=starts,
                ends_at=starts + self.service.config.duration,
                place=" ".join(str(call.options.get("place") or "").split()),
                channel=self.service.channel,
                created_by=actor.id,
                limit=int(limit) if limit is not None else None,
                hosts=(actor.id,),
            )
        )
        assert event is not None  # no source key: never a duplicate
        return [
            call.reply(
                t(
                    "events.created",
                    id=event.id,
                    title=event.title,
                    when=self.service.text.when(event),
                    channel=self.kit.outbox.gateway.channel_mention(event.channel),
                )
            )
        ]

    async def list(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        events = await self.service.store.upcoming(self.kit.clock.now(), MAX_LIST)
        if not events:
            return [call.reply(t("events.list.empty"))]
        lines = [t("events.list.title")]
        for event in events:
            counts = await self.service.store.counts(event.id)
            lines.append(
                t(
                    "events.list.line",
                    id=event.id,
                    title=event.title,
                    when=self.service.text.when(event),
                    counts=self.service.text.counts(event, counts),
                )
            )
        return [call.reply("\n".join(lines))]

    async def cancel(self, call: CommandCall) -> Sequence[Action]:
        event = await self._event(call)
        done = await self.service.cancel(event)
        key = "events.cancelled" if done else "events.already_cancelled"
        return [call.reply(self.kit.t(key, title=event.title))]

    async def move(self, call: CommandCall) -> Sequence[Action]:
        event = await self._event(call)
        starts = self._moment(str(call.options["date"]), str(call.options["time"]))
        moved = await self.service.move(event, starts)
        if moved is None:
            return [call.reply(self.kit.t("events.already_cancelled", title=event.title))]
        when = self.service.text.when(moved)
        return [call.reply(self.kit.t("events.moved", title=moved.title, when=when))]

    # ---- buttons ---------------------------------------------------------------------------

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action] | None:
        t = self.kit.t
        reply_to = event.interaction.id
        parts = event.choice_id.split(":", 3)
        found = None
        if len(parts) == 4 and parts[2].isdigit():
            found = await self.service.store.get(int(parts[2]))
        if found is None or found.cancelled:
            return [Reply(interaction=reply_to, text=t("events.gone"))]
        if parts[1] == "rsvp" and parts[3] in {"going", "maybe", "not"}:
            return await self._rsvp(found, event, Rsvp(parts[3]))
        if parts[1] == "came":
            return await self._came(found, event, parts[3])
        return [Reply(interaction=reply_to, text=t("events.gone"))]

    async def _rsvp(self, found: Event, event: ChoicePicked, answer: Rsvp) -> Sequence[Action]:
        t = self.kit.t
        reply_to = event.interaction.id
        if found.ends_at <= self.kit.clock.now():
            return [Reply(interaction=reply_to, text=t("events.over", title=found.title))]
        result = await self.service.store.rsvp(
            found.id, event.actor.id, answer, self.kit.clock.now()
        )
        await self.service.refresh(found)
        actions: list[Action] = []
        if result.promoted is not None:
            actions.append(
                SendDM(
                    member=result.promoted,
                    text=t(
                        "events.promoted", title=found.title, when=self.service.text.when(found)
                    ),
                )
            )
        key = f"events.rsvp.noted.{result.status.value}"
        text = t(key, title=found.title, going=result.counts.going, waiting=result.counts.waiting)
        return [Reply(interaction=reply_to, text=text), *actions]

    async def _came(self, found: Event, event: ChoicePicked, who: str) -> Sequence[Action]:
        t = self.kit.t
        reply_to = event.interaction.id
        if not self._runs(event.actor, found):
            return [Reply(interaction=reply_to, text=t("events.not_yours", title=found.title))]
        going = await self.service.store.members(found.id, Rsvp.GOING)
        members = going if who == "*" else [who] if who in going else []
        recorded = await self.service.record_came(found, members, event.actor.id)
        names = self.service.text.names(members) if members else "-"
        return [
            Reply(interaction=reply_to, text=t("events.came.noted", names=names, count=recorded))
        ]
