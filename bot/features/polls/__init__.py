"""Polls and stellingen (raadplegen): votes members can trust, readable results, closes once.

`install` returns the PollsService, which is also the calendar's PollPublisher.
"""

from __future__ import annotations

from typing import Any

from bot.config.polls import PollsConfig
from bot.events import MessagePosted
from bot.features.manifest import FeatureManifest, Peers
from bot.features.polls.commands import PollCommands
from bot.features.polls.nonvoters import PollNonVoters
from bot.features.polls.ports import PollStore
from bot.features.polls.service import PollsService
from bot.kit import Kit
from bot.locales.polls import MESSAGES
from bot.scheduling import Deadlines

__all__ = ["MANIFEST", "PollsService", "install"]


class PollsPersonalData:
    """Export a member's named votes and the polls they created; erase takes their name off them."""

    def __init__(self, store: PollStore) -> None:
        self.store = store

    async def export_member(self, member_id: str) -> dict[str, Any]:
        [data] = await self.store.export_member(member_id)
        return data

    async def erase_member(self, member_id: str) -> None:
        await self.store.erase_member(member_id)


def install(kit: Kit, store: PollStore, peers: Peers) -> PollsService | None:
    if not kit.config.polls.enabled:
        return None
    service = PollsService(kit, store)
    kit.dispatcher.on_choice("poll", service.on_choice)
    kit.dispatcher.on(MessagePosted, service.on_message)
    for spec in PollCommands(kit, service).specs():
        kit.commands.add(spec)
    kit.commands.add(PollNonVoters(kit, service).spec())
    kit.jobs.add_deadlines(
        Deadlines("polls.tally", service.next_edit, service.run_edits, drain_on_exit=True)
    )
    kit.jobs.add_deadlines(Deadlines("polls.close", store.next_close, service.run_closes))
    kit.lifecycle.on_ready(service.load_threads)
    kit.personal_data.register("polls", PollsPersonalData(store))
    return service


MANIFEST: FeatureManifest[PollStore] = FeatureManifest(
    name="polls",
    section="polls",
    config_model=PollsConfig,
    messages=MESSAGES,
    install=install,
)
