"""The content calendar: themes and prompts from [calendar], posted on schedule, two hosts each.

install() wires one RecurringJob per slot (posting), Deadlines sources for host reminders and for
taking over posts a stopped process had claimed, the misfire catch-up on ready, reply linking and
RSVPs, the /calendar commands and personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.config.calendar import CalendarConfig
from bot.events import MessagePosted
from bot.features.api import PollPublisher, StorySource
from bot.features.calendar.checks import config_problems
from bot.features.calendar.commands import CalendarCommands
from bot.features.calendar.hosts import Hosts
from bot.features.calendar.plan import SlotPlan, slot_plans
from bot.features.calendar.ports import CalendarStore
from bot.features.calendar.posting import RSVP_PREFIX, Poster
from bot.features.calendar.replies import ReplyLinker
from bot.features.calendar.service import CalendarService
from bot.features.calendar.text import CalendarText
from bot.features.manifest import FeatureManifest, Peers
from bot.kit import Kit
from bot.locales.calendar import MESSAGES
from bot.scheduling import Deadlines, RecurringJob

log = logging.getLogger("plein.calendar")

REMINDERS = "calendar-reminders"
TAKEOVERS = "calendar-takeovers"

__all__ = ["MANIFEST", "CalendarService", "config_problems", "install"]


def install(kit: Kit, store: CalendarStore, peers: Peers) -> CalendarService | None:
    """Posts real polls and stellingen when `polls` is installed, archived stories from
    `spotlight`; without them the calendar posts the prompts as plain text."""
    plan = kit.config.calendar
    if not plan.enabled:
        return None
    polls, stories = peers.get("polls"), peers.get("spotlight")
    if polls is not None and not isinstance(polls, PollPublisher):
        raise TypeError("the calendar needs polls to be a PollPublisher")
    if stories is not None and not isinstance(stories, StorySource):
        raise TypeError("the calendar needs spotlight to be a StorySource")
    text = CalendarText(kit.t, kit.tz, kit.outbox)
    hosts = Hosts(kit.outbox, kit.members)
    slots: list[SlotPlan] = []
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

    kit.jobs.add_deadlines(Deadlines(TAKEOVERS, service.next_takeover, service.take_over))

    async def on_ready() -> None:
        await linker.load()
        await service.catch_up()

    kit.lifecycle.on_ready(on_ready)
    kit.dispatcher.on(MessagePosted, linker.on_message)
    kit.dispatcher.on_choice(RSVP_PREFIX, linker.on_rsvp)
    commands = CalendarCommands(kit, service, kit.reload_config)
    commands.register()
    kit.reloads.on("calendar", commands.apply)
    kit.personal_data.register("calendar", store)
    return service


def _runner(service: CalendarService, key: str) -> Callable[[datetime], Awaitable[None]]:
    async def run(fire_time: datetime) -> None:
        slot = next((s for s in service.slots if s.key == key), None)
        if slot is None:
            log.info("calendar slot %s was removed by a reload; not posting", key)
            return
        await service.fire(slot, fire_time)

    return run


MANIFEST: FeatureManifest[CalendarStore] = FeatureManifest(
    name="calendar",
    section="calendar",
    config_model=CalendarConfig,
    messages=MESSAGES,
    install=install,
    config_problems=config_problems,
    needs=("polls", "spotlight"),
)
