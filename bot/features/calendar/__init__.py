"""The content calendar: themes and prompts from [calendar], posted on schedule, two hosts each.

install() wires one RecurringJob per slot (posting), a Deadlines source for host reminders, the
misfire catch-up on ready, reply linking and RSVPs, the /calendar commands and personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.config import PleinConfig
from bot.events import MessagePosted
from bot.features.api import PollPublisher, StorySource
from bot.features.calendar.checks import config_problems
from bot.features.calendar.commands import CalendarCommands
from bot.features.calendar.hosts import Hosts
from bot.features.calendar.plan import slot_plans
from bot.features.calendar.ports import CalendarStore
from bot.features.calendar.posting import RSVP_PREFIX, Poster
from bot.features.calendar.replies import ReplyLinker
from bot.features.calendar.service import CalendarService
from bot.features.calendar.text import CalendarText
from bot.kit import Kit
from bot.scheduling import Deadlines, RecurringJob

log = logging.getLogger("plein.calendar")

REMINDERS = "calendar-reminders"

__all__ = ["CalendarService", "config_problems", "install"]


def install(
    kit: Kit,
    store: CalendarStore | None,
    *,
    polls: PollPublisher | None = None,
    stories: StorySource | None = None,
    reload: Callable[[], PleinConfig] | None = None,
) -> CalendarService | None:
    plan = kit.config.calendar
    if not plan.enabled or store is None:
        return None
    text = CalendarText(kit.t, kit.tz, kit.outbox)
    hosts = Hosts(kit.outbox, kit.members)
    slots = []
    for slot in slot_plans(kit.config):
        if any(s.key == slot.key for s in slots):
            log.error("calendar slot %s is listed twice; only the first runs", slot.key)
            continue
        slots.append(slot)
    service: CalendarService
    linker = ReplyLinker(kit, store, lambda: service.plan.themes)
    service = CalendarService(
        kit,
        store,
        plan,
        slots,
        poster=Poster(text, kit.outbox, hosts, polls, stories),
        hosts=hosts,
        text=text,
        linker=linker,
    )
    for slot in slots:
        kit.jobs.add_recurring(
            RecurringJob(f"calendar:{slot.key}", slot.cron, _runner(service, slot.key))
        )
    if plan.reminder_before.total_seconds() > 0:
        kit.jobs.add_deadlines(
            Deadlines(REMINDERS, service.next_reminder_due, service.run_reminders)
        )

    async def on_ready() -> None:
        await linker.load()
        await service.catch_up()

    kit.lifecycle.on_ready(on_ready)
    kit.dispatcher.on(MessagePosted, linker.on_message)
    kit.dispatcher.on_choice(RSVP_PREFIX, linker.on_rsvp)
    CalendarCommands(kit, service, reload).register()
    kit.personal_data.register("calendar", store)
    return service


def _runner(service: CalendarService, key: str):  # noqa: ANN202
    async def run(fire_time: datetime) -> None:
        slot = next((s for s in service.slots if s.key == key), None)
        if slot is None:
            log.info("calendar slot %s was removed by a reload; not posting", key)
            return
        await service.fire(slot, fire_time)

    return run
