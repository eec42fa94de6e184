"""An event as an .ics file (RFC 5545, written by the icalendar library) for calendar apps."""

from __future__ import annotations

from datetime import datetime

from bot.actions import Attachment
from bot.features.events.ports import Event


def ics_attachment(
    event: Event, community: str, now: datetime, *, cancelled: bool = False
) -> Attachment:
    from icalendar import Calendar  # loaded when the first .ics is made, not at start-up
    from icalendar import Event as VEvent

    calendar = Calendar()
    calendar.add("prodid", "-//Plein//Community events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    item = VEvent()
    item.add("uid", f"plein-event-{event.id}@{_slug(community)}")
    item.add("dtstamp", now)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    if event.place:
        item.add("location", event.place)
    if event.description:
        item.add("description", event.description)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(item)
    return Attachment(filename=f"event-{event.id}.ics", data=calendar.to_ical())


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "plein"
