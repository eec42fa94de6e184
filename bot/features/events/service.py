"""The events' rules: announce once, keep counts live, remind and notify each one once, ask the
hosts who came and record it as a contribution.

Every send is claimed first (a unique (event, key) row): a reminder's key holds its offset and
the event's start, so moving an event gives fresh reminders and one 'moved' notice; a second
process, a replay or a restart finds the claim and sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.actions import (
    Choice,
    Delivery,
    PostMessage,
    ScheduleEvent,
    SendDM,
    Style,
    UpdateMessage,
)
from bot.config.events import EventsConfig
from bot.events import InterestChanged, InterestListed, Member
from bot.features.events.ics import ics_attachment
from bot.features.events.ports import Event, EventStore, NewEvent, Rsvp
from bot.features.events.text import EventText, came_id
from bot.kit import Kit
from bot.signals import Contributed, ContributionKind

log = logging.getLogger("plein.events")

REMINDERS = "events-reminders"
MISFIRE_GRACE = timedelta(hours=6)
"""A reminder or 'who came?' more than this late (Plein was down) is dropped, not sent late."""
MAX_CAME_BUTTONS = 20
ATTENDANCE = "attendance"


@dataclass(frozen=True)
class Due:
    event: Event
    key: str
    at: datetime
    offset: timedelta | None
    """A reminder's distance to the start; None for the hosts' 'who came?'."""


class EventsService:
    def __init__(self, kit: Kit, store: EventStore, text: EventText) -> None:
        self.kit = kit
        self.store = store
        self.text = text

    @property
    def config(self) -> EventsConfig:
        return self.kit.config.events

    @property
    def channel(self) -> str:
        return self.config.channel or self.kit.config.community.default_channel

    # ---- creating -------------------------------------------------------------------------

    async def create(self, new: NewEvent) -> Event | None:
        """Store and announce the event; None when its source (a calendar prompt) already made
        one."""
        event = await self.store.create(new, self.kit.clock.now())
        if event is None:
            return None
        delivery = await self.kit.outbox.send(
            PostMessage(
                channel=event.channel,
                text=self.text.announcement(event, await self.store.counts(event.id)),
                choices=self.text.rsvp_choices(event),
            )
        )
        native = await self.kit.outbox.send(self._native(event))
        await self.store.set_refs(
            event.id, delivery.ref if delivery.ok else None, native.ref if native.ok else None
        )
        self.kit.jobs.poke(REMINDERS)
        return await self.store.get(event.id) or event

    def _native(self, event: Event, *, cancelled: bool = False) -> ScheduleEvent:
        """The platform's own event (Discord); elsewhere `unsupported` and nothing happens."""
        return ScheduleEvent(
            name=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            place=event.place,
            description=event.description,
            platform_ref=event.platform_ref,
            cancelled=cancelled,
        )

    async def publish_event(
        self,
        *,
        title: str,
        description: str,
        starts_at: datetime,
        place: str,
        channel: str,
        hosts: Sequence[str],
        source_key: str,
    ) -> str | None:
        """A calendar prompt of type "event" (EventPublisher): one event per prompt, however
        often the calendar picks it; a later pick points at the first announcement."""
        existing = await self.store.by_source(source_key)
        if existing is not None:
            return existing.message_ref
        event = await self.create(
            NewEvent(
                title=title,
                description=description,
                starts_at=starts_at,
                ends_at=starts_at + self.config.duration,
                place=place,
                channel=channel,
                created_by=hosts[0] if hosts else "calendar",
                hosts=tuple(hosts),
                source_key=source_key,
            )
        )
        if event is None:  # another process made it just now
            existing = await self.store.by_source(source_key)
            return existing.message_ref if existing is not None else None
        return event.message_ref

    async def refresh(self, event: Event) -> None:
        """The announcement with the current counts (live counts on Slack and the console)."""
        if event.message_ref is None:
            return
        await self.kit.outbox.send(
            UpdateMessage(
                ref=event.message_ref,
                text=self.text.announcement(event, await self.store.counts(event.id)),
                choices=self.text.rsvp_choices(event),
            )
        )

    async def _interest_event(self, platform_ref: str) -> Event | None:
        event = await self.store.by_platform_ref(platform_ref)
        if event is None or event.cancelled or event.ends_at <= self.kit.clock.now():
            return None
        return event

    async def on_interest(self, change: InterestChanged) -> None:
        """Discord's 'Interested' is an RSVP: going, or not going when taken back."""
        event = await self._interest_event(change.platform_ref)
        if event is None:
            return
        await self._interest(event, change.member, change.interested)
        await self.refresh(event)

    async def on_interest_listed(self, listed: InterestListed) -> None:
        """The platform's list of interested members after downtime: who became interested is
        going; who took their interest back is not going. A 'going' given with the buttons (no
        interest mark) is left alone."""
        event = await self._interest_event(listed.platform_ref)
        if event is None:
            return
        people = {m.id: m for m in listed.members if not m.is_bot}
        answered = set(await self.store.members(event.id, Rsvp.GOING, Rsvp.WAITING))
        marked = await self.store.interest_marks(event.id)
        now = self.kit.clock.now()
        changed = False
        for member_id, member in people.items():
            if member_id not in answered:
                await self._interest(event, member, True)
                changed = True
            elif member_id not in marked:
                await self.store.mark_interest(event.id, member_id, True, now)
        for member_id in sorted(marked - people.keys()):
            if member_id in answered:
                await self._interest(event, Member(member_id, member_id), False)
                changed = True
            else:
                await self.store.mark_interest(event.id, member_id, False, now)
        if changed:
            await self.refresh(event)

    async def _interest(self, event: Event, member: Member, interested: bool) -> None:
        answer = Rsvp.GOING if interested else Rsvp.NOT_GOING
        now = self.kit.clock.now()
        if interested:
            await self.kit.members.ensure(member.id, member.name, False, now)
        result = await self.store.rsvp(event.id, member.id, answer, now)
        await self.store.mark_interest(event.id, member.id, interested, now)
        if result.status is Rsvp.WAITING:
            await self.kit.outbox.send(
                SendDM(
                    member=member.id,
                    text=self.kit.t(
                        "events.rsvp.noted.waiting",
                        title=event.title,
                        going=result.counts.going,
                        waiting=result.counts.waiting,
                    ),
                )
            )
        if result.promoted is not None:
            await self.kit.outbox.send(
                SendDM(
                    member=result.promoted,
                    text=self.kit.t(
                        "events.promoted", title=event.title, when=self.text.when(event)
                    ),
                )
            )

    # ---- reminders and the hosts' question ---------------------------------------------------

    def _local_minus(self, moment: datetime, offset: timedelta) -> datetime:
        """'1 day before' is the same local time the day before, also across a DST change."""
        local = moment.astimezone(self.kit.tz)
        return (local - offset).astimezone(moment.tzinfo)

    def _plan(self, events: list[Event]) -> Iterator[Due]:
        for event in events:
            for offset in self.config.remind_before:
                at = self._local_minus(event.starts_at, offset)
                if at < event.created_at:
                    continue  # created after this reminder's moment: it would say too little
                key = f"remind:{int(offset.total_seconds())}:{event.starts_at.isoformat()}"
                yield Due(event, key, at, offset)
            yield Due(event, ATTENDANCE, event.ends_at + self.config.attendance_after, None)

    async def _open(self, now: datetime) -> list[Due]:
        events = await self.store.upcoming(now - self.config.attendance_after - MISFIRE_GRACE)
        sent = await self.store.sent([e.id for e in events])
        return [d for d in self._plan(events) if (d.event.id, d.key) not in sent]

    async def next_due(self) -> datetime | None:
        dues = await self._open(self.kit.clock.now())
        return min((d.at for d in dues), default=None)

    async def run_due(self, now: datetime) -> None:
        for due in sorted(await self._open(now), key=lambda d: d.at):
            if due.at > now or not await self.store.claim_send(due.event.id, due.key, now):
                continue
            if now - due.at > MISFIRE_GRACE:
                log.info("event %s: %s is too late, not sent", due.event.id, due.key)
                continue
            if due.offset is None:
                await self._ask_who_came(due.event)
            else:
                await self._remind(due.event, due.offset, now)

    async def _audience(self, event: Event) -> list[str]:
        going = await self.store.members(event.id, Rsvp.GOING)
        return list(dict.fromkeys([*going, *event.hosts]))

    async def _remind(self, event: Event, offset: timedelta, now: datetime) -> None:
        text = self.text.reminder(event, offset)
        ics = ics_attachment(event, self.kit.config.community.name, now)
        for member in await self._audience(event):
            await self.kit.outbox.send(SendDM(member=member, text=text, files=(ics,)))

    async def _ask_who_came(self, event: Event) -> None:
        t = self.kit.t
        going = await self.store.members(event.id, Rsvp.GOING)
        if not going:
            return
        choices = [Choice(came_id(event.id, "*"), t("events.came.everyone"), Style.SUCCESS)]
        choices += [
            Choice(came_id(event.id, m), self.kit.outbox.mention(m))
            for m in going[:MAX_CAME_BUTTONS]
        ]
        text = t("events.came.ask", title=event.title, count=len(going))
        if not event.hosts:  # a calendar event without hosts: the managers answer
            await self.kit.outbox.send(
                PostMessage(
                    channel=self.kit.config.community.managers_channel,
                    text=text,
                    choices=tuple(choices),
                )
            )
            return
        for host in event.hosts:
            await self.kit.outbox.send(
                SendDM(
                    member=host,
                    text=text,
                    choices=tuple(choices),
                    fallback_channel=self.kit.config.community.managers_channel,
                )
            )

    async def record_came(self, event: Event, members: list[str], by: str) -> int:
        now = self.kit.clock.now()
        recorded = 0
        for member in members:
            if not await self.store.record_attendance(event.id, member, by, now):
                continue
            recorded += 1
            await self.kit.signals.emit(
                Contributed(
                    member_id=member,
                    kind=ContributionKind.EVENT_ATTENDED,
                    at=now,
                    channel=event.channel,
                    ref=f"event:{event.id}",
                )
            )
        return recorded

    # ---- cancel and move ----------------------------------------------------------------------

    async def cancel(self, event: Event) -> bool:
        if not await self.store.cancel(event.id):
            return False
        cancelled = await self.store.get(event.id)
        assert cancelled is not None
        await self.refresh(cancelled)
        if cancelled.platform_ref is not None:
            await self.kit.outbox.send(self._native(cancelled, cancelled=True))
        if await self.store.claim_send(event.id, "cancel", self.kit.clock.now()):
            await self._notify(cancelled, "events.notice.cancelled", cancelled=True)
        self.kit.jobs.poke(REMINDERS)
        return True

    async def move(self, event: Event, starts_at: datetime) -> Event | None:
        ends_at = starts_at + (event.ends_at - event.starts_at)
        if not await self.store.move(event.id, starts_at, ends_at):
            return None
        moved = await self.store.get(event.id)
        assert moved is not None
        await self.refresh(moved)
        if moved.platform_ref is not None:
            await self.kit.outbox.send(self._native(moved))
        key = f"move:{starts_at.isoformat()}"
        if await self.store.claim_send(event.id, key, self.kit.clock.now()):
            await self._notify(moved, "events.notice.moved")
        self.kit.jobs.poke(REMINDERS)
        return moved

    async def _notify(self, event: Event, key: str, *, cancelled: bool = False) -> list[Delivery]:
        now = self.kit.clock.now()
        text = self.kit.t(key, title=event.title, when=self.text.when(event))
        ics = ics_attachment(event, self.kit.config.community.name, now, cancelled=cancelled)
        waiting = await self.store.members(event.id, Rsvp.WAITING)
        audience = list(dict.fromkeys([*await self._audience(event), *waiting]))
        return [
            await self.kit.outbox.send(SendDM(member=m, text=text, files=(ics,))) for m in audience
        ]

    # ---- the report ---------------------------------------------------------------------------

    async def report_lines(self, start: datetime, end: datetime) -> list[str]:
        figures = await self.store.figures(start, end)
        if not figures.events:
            return []
        return [
            self.kit.t(
                "events.report",
                events=figures.events,
                going=figures.going,
                attended=figures.attended,
            )
        ]
