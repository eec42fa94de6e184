"""Events with RSVP: /event create (or a calendar prompt of type "event"), an announcement with
going / maybe / not going and live counts, a waiting list, reminders with an .ics file, cancel
and move notices, and the hosts' 'who came?' that records `event_attended` contributions.
"""

from __future__ import annotations

from bot.config.events import EventsConfig
from bot.events import InterestChanged, InterestListed
from bot.features.events.commands import EventCommands
from bot.features.events.ports import EventStore, NewEvent
from bot.features.events.service import REMINDERS, EventsService
from bot.features.events.text import PREFIX, EventText
from bot.features.manifest import FeatureManifest, Peers
from bot.kit import Kit
from bot.locales.events import MESSAGES
from bot.scheduling import Deadlines

__all__ = ["MANIFEST", "EventsService", "NewEvent", "install"]


def install(kit: Kit, store: EventStore, peers: Peers) -> EventsService | None:
    if not kit.config.events.enabled:
        return None
    service = EventsService(kit, store, EventText(kit.t, kit.outbox))
    kit.jobs.add_deadlines(Deadlines(REMINDERS, service.next_due, service.run_due))
    commands = EventCommands(service)
    commands.register()
    kit.dispatcher.on_choice(PREFIX, commands.on_choice)
    kit.dispatcher.on(InterestChanged, service.on_interest)
    kit.dispatcher.on(InterestListed, service.on_interest_listed)
    kit.personal_data.register("events", store)
    calendar = peers.get("calendar")
    if calendar is not None and hasattr(calendar, "add_event_publisher"):
        calendar.add_event_publisher(service)
    report = peers.get("report")
    if report is not None and hasattr(report, "add_section"):
        report.add_section(
            lambda report: service.report_lines(report.figures.since, report.figures.until)
        )
    return service


MANIFEST: FeatureManifest[EventStore] = FeatureManifest(
    name="events",
    section="events",
    config_model=EventsConfig,
    messages=MESSAGES,
    install=install,
    needs=("calendar", "report"),
)
