"""What an event says: the announcement with live counts, reminders, notices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.actions import Choice, Style
from bot.features.events.ports import Counts, Event
from bot.gateway import Outbox
from bot.i18n import Translator

PREFIX = "event"


def rsvp_id(event_id: int, answer: str) -> str:
    return f"{PREFIX}:rsvp:{event_id}:{answer}"


def came_id(event_id: int, member: str) -> str:
    return f"{PREFIX}:came:{event_id}:{member}"


class EventText:
    def __init__(self, t: Translator, outbox: Outbox) -> None:
        self.t = t
        self.outbox = outbox

    def names(self, members: Sequence[str]) -> str:
        items = [self.outbox.mention(m) for m in members]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.t('events.and')} {items[-1]}"

    def when(self, event: Event) -> str:
        return self.t(
            "events.span", start=self.t.datetime(event.starts_at), end=self.t.time(event.ends_at)
        )

    def counts(self, event: Event, counts: Counts) -> str:
        line = self.t(
            "events.counts", going=counts.going, maybe=counts.maybe, not_going=counts.not_going
        )
        if event.limit is not None:
            line += " " + self.t("events.places", limit=event.limit, waiting=counts.waiting)
        return line

    def announcement(self, event: Event, counts: Counts) -> str:
        t = self.t
        lines = [t("events.announcement.title", title=event.title), ""]
        if event.description:
            lines += [event.description, ""]
        lines.append(t("events.when", when=self.when(event)))
        if event.place:
            lines.append(t("events.where", place=event.place))
        if event.hosts:
            lines.append(t("events.hosts", hosts=self.names(event.hosts)))
        if event.cancelled:
            lines += ["", t("events.cancelled.banner")]
        else:
            lines += ["", self.counts(event, counts)]
        return "\n".join(lines)

    def rsvp_choices(self, event: Event) -> tuple[Choice, ...]:
        if event.cancelled:
            return ()
        t = self.t
        return (
            Choice(rsvp_id(event.id, "going"), t("events.rsvp.going"), Style.SUCCESS),
            Choice(rsvp_id(event.id, "maybe"), t("events.rsvp.maybe")),
            Choice(rsvp_id(event.id, "not"), t("events.rsvp.not")),
        )

    def before(self, offset: timedelta) -> str:
        if offset % timedelta(days=1) == timedelta(0):
            return self.t("events.in.days", count=offset.days)
        if offset % timedelta(hours=1) == timedelta(0):
            return self.t("events.in.hours", count=int(offset.total_seconds() // 3600))
        return self.t("events.in.minutes", count=int(offset.total_seconds() // 60))

    def reminder(self, event: Event, offset: timedelta) -> str:
        t = self.t
        place = t("events.where", place=event.place) if event.place else ""
        return t(
            "events.reminder",
            title=event.title,
            soon=self.before(offset),
            when=self.when(event),
            place=place,
        ).rstrip()
