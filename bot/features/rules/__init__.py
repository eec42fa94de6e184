"""Groundrules made together: members propose, the community votes, managers adopt or reject;
adopted rules join the groundrules with a version number (see service.py)."""

from __future__ import annotations

from typing import Any

from bot.config.rules import RulesConfig
from bot.features.manifest import FeatureManifest, Peers
from bot.features.onboarding import OnboardingService
from bot.features.polls.service import PollsService
from bot.features.rules.ports import RulesStore
from bot.features.rules.service import ASK_JOB, PREFIX, RulesService
from bot.kit import Kit
from bot.locales.rules import MESSAGES
from bot.scheduling import Deadlines

__all__ = ["MANIFEST", "RulesService", "install"]


class RulesPersonalData:
    def __init__(self, store: RulesStore) -> None:
        self.store = store

    async def export_member(self, member_id: str) -> dict[str, Any]:
        return await self.store.export_member(member_id)

    async def erase_member(self, member_id: str) -> None:
        await self.store.erase_member(member_id)


def install(kit: Kit, store: RulesStore, peers: Peers) -> RulesService | None:
    if not kit.config.rules.enabled:
        return None
    polls = peers.get("polls")
    onboarding = peers.get("onboarding")
    welcomes = isinstance(onboarding, OnboardingService)
    service = RulesService(
        kit,
        store,
        polls if isinstance(polls, PollsService) else None,
        reaccept=welcomes and kit.config.onboarding.require_reacceptance,
    )
    if isinstance(onboarding, OnboardingService):
        onboarding.add_rules_source(service.adopted_lines)
    for spec in service.specs():
        kit.commands.add(spec)
    kit.dispatcher.on_choice(PREFIX, service.on_choice)
    kit.jobs.add_deadlines(
        Deadlines(ASK_JOB, service.next_ask, service.send_asks, drain_on_exit=True)
    )
    kit.personal_data.register("rules", RulesPersonalData(store))
    return service


MANIFEST: FeatureManifest[RulesStore] = FeatureManifest(
    name="rules",
    section="rules",
    config_model=RulesConfig,
    messages=MESSAGES,
    install=install,
    needs=("onboarding", "polls"),
)
