"""Onboarding: welcome, groundrules, welcome questions, introductions and follow-up moments."""

from __future__ import annotations

from bot.config.onboarding import OnboardingConfig
from bot.events import MemberUpdated, MessagePosted
from bot.features.manifest import FeatureManifest, Peers
from bot.features.onboarding.commands import OnboardingCommands
from bot.features.onboarding.conversation import Conversation
from bot.features.onboarding.followups import ACTIVITY, SOURCE, Followups
from bot.features.onboarding.messages import PREFIX
from bot.features.onboarding.ports import OnboardingStore
from bot.features.onboarding.service import QUEUE, OnboardingService
from bot.kit import Kit
from bot.locales.onboarding import MESSAGES
from bot.scheduling import Deadlines
from bot.signals import MemberArrived, MemberDeparted

__all__ = ["MANIFEST", "OnboardingService", "install"]


def install(kit: Kit, store: OnboardingStore, peers: Peers) -> OnboardingService:
    followups = Followups(kit, store)
    service = OnboardingService(kit, store, followups)
    if not kit.config.onboarding.enabled:
        return service
    conversation = Conversation(service)
    kit.signals.subscribe(MemberArrived, service.on_arrived)
    kit.signals.subscribe(MemberDeparted, followups.on_departed)
    kit.dispatcher.on(MemberUpdated, conversation.on_member_updated)
    kit.conversations.add(conversation.on_direct_message)
    kit.dispatcher.on(MessagePosted, followups.on_message)
    kit.dispatcher.on_choice(PREFIX, conversation.on_choice)
    kit.dispatcher.on_form(PREFIX, conversation.on_form)
    for spec in OnboardingCommands(service, conversation).specs():
        kit.commands.add(spec)
    kit.jobs.add_deadlines(
        Deadlines(QUEUE, service.queue_next_due, service.drain, drain_on_exit=True)
    )
    kit.jobs.add_deadlines(Deadlines(SOURCE, followups.next_due, followups.run_due))
    kit.jobs.add_deadlines(
        Deadlines(ACTIVITY, followups.activity_due, followups.write_activity, drain_on_exit=True)
    )
    kit.lifecycle.on_flush(followups.flush_activity)
    kit.personal_data.register("onboarding", store)
    return service


MANIFEST: FeatureManifest[OnboardingStore] = FeatureManifest(
    name="onboarding",
    section="onboarding",
    config_model=OnboardingConfig,
    messages=MESSAGES,
    install=install,
)
