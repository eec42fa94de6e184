"""Always on: the member registry (joins, leaves, the member sync) and /help.

Its store is the kit's members."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action, SendDM
from bot.commands import CommandCall, CommandSpec, Option
from bot.events import DirectMessage, MemberJoined, MemberLeft
from bot.features.manifest import FeatureManifest, Peers
from bot.features.member_sync import install_member_sync
from bot.help_text import HelpText
from bot.kit import Kit
from bot.locales.core import MESSAGES
from bot.members import MemberStore
from bot.signals import MemberArrived, MemberDeparted


class CoreFeature:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit

    async def on_join(self, event: MemberJoined) -> Sequence[Action]:
        if event.member.is_bot:
            return []
        now = self.kit.clock.now()
        record = await self.kit.members.record_join(event.member.id, event.member.name, False, now)
        await self.kit.signals.emit(
            MemberArrived(
                member_id=event.member.id,
                name=event.member.name,
                at=now,
                first_time=record.first_time,
                already_present=record.already_present,
                join_count=record.join_count,
                pending_screening=event.pending_screening,
            )
        )
        return []

    async def on_leave(self, event: MemberLeft) -> Sequence[Action]:
        now = self.kit.clock.now()
        await self.kit.members.record_leave(event.member.id, now)
        await self.kit.signals.emit(MemberDeparted(member_id=event.member.id, at=now))
        return []

    async def help(self, call: CommandCall) -> Sequence[Action]:
        text = HelpText(self.kit.t, self.kit.commands, self.kit.config.community.name)
        command = call.options.get("command")
        if command:
            return [call.reply(text.about(call.actor, str(command)))]
        return [call.reply(text.overview(call.actor))]

    async def on_direct_message(self, event: DirectMessage) -> Sequence[Action]:
        """A DM nobody else answers (no open question) gets what Plein can do, not silence."""
        if event.author.is_bot:
            return []
        answer = await self.kit.conversations.answer(event)
        if answer is not None:
            return answer
        name = self.kit.config.community.name
        return [SendDM(member=event.author.id, text=self.kit.t("core.dm_help", community=name))]


def install(kit: Kit, store: MemberStore, peers: Peers) -> CoreFeature:
    feature = CoreFeature(kit)
    kit.dispatcher.on(MemberJoined, feature.on_join)
    kit.dispatcher.on(MemberLeft, feature.on_leave)
    kit.dispatcher.on(DirectMessage, feature.on_direct_message)
    kit.commands.add(
        CommandSpec(
            path=("help",), handler=feature.help, options=(Option("command", required=False),)
        )
    )
    install_member_sync(kit, store)
    return feature


MANIFEST: FeatureManifest[MemberStore] = FeatureManifest(
    name="core", section=None, config_model=None, messages=MESSAGES, install=install
)
