"""Introductions: opted-in members are paired every few weeks by what they told Plein at the
welcome, introduced in a group conversation, and asked a week later whether they met.

install() wires one recurring job (the round, on the weekly `when`, every `every`), a deadline
source for the follow-ups, unsent introductions on ready, the commands and personal data.
"""

from __future__ import annotations

from datetime import datetime

from bot.actions import Choice
from bot.config.intros import IntrosConfig
from bot.features.intros.commands import JOIN_CHOICE, IntrosCommands
from bot.features.intros.ports import IntrosStore, Levels, WelcomeAnswers
from bot.features.intros.service import MET_PREFIX, IntrosService
from bot.features.intros.text import IntroText
from bot.features.manifest import FeatureManifest, Peers
from bot.kit import Kit
from bot.locales.intros import MESSAGES
from bot.scheduling import Deadlines, RecurringJob

FOLLOWUPS = "intros-followups"

__all__ = ["JOIN_CHOICE", "MANIFEST", "IntrosService", "install"]


def install(kit: Kit, store: IntrosStore, peers: Peers) -> IntrosService | None:
    """Pairs by onboarding's welcome answers and recognition's ladder when they are installed;
    without them every member looks alike (pairs are then only 'never met' and seeded)."""
    config = kit.config.intros
    if not config.enabled:
        return None
    text = IntroText(kit.t, kit.outbox, kit.config.calendar.themes)
    welcome = getattr(peers.get("onboarding"), "store", None)
    levels = getattr(peers.get("recognition"), "store", None)
    service = IntrosService(
        kit,
        store,
        text,
        welcome if isinstance(welcome, WelcomeAnswers) else None,
        levels if isinstance(levels, Levels) else None,
    )

    async def run(fire_time: datetime) -> None:
        await service.fire(fire_time)
        kit.jobs.poke(FOLLOWUPS)  # the trios it just introduced have their follow-up a week on

    kit.jobs.add_recurring(RecurringJob("intros", config.when, run, catch_up=config.catch_up))
    kit.jobs.add_deadlines(Deadlines(FOLLOWUPS, service.next_followup_due, service.run_followups))
    kit.lifecycle.on_ready(service.send_unsent)
    commands = IntrosCommands(service)
    commands.register()
    kit.dispatcher.on_choice(MET_PREFIX, commands.on_choice)
    kit.personal_data.register("intros", store)
    onboarding = peers.get("onboarding")
    if onboarding is not None and hasattr(onboarding, "add_welcome_choice"):
        onboarding.add_welcome_choice(Choice(JOIN_CHOICE, kit.t("intros.welcome_button")))
    report = peers.get("report")
    if report is not None and hasattr(report, "add_section"):
        report.add_section(
            lambda report: service.report_lines(report.figures.since, report.figures.until)
        )
    return service


MANIFEST: FeatureManifest[IntrosStore] = FeatureManifest(
    name="intros",
    section="intros",
    config_model=IntrosConfig,
    messages=MESSAGES,
    install=install,
    needs=("onboarding", "recognition", "report"),
)
