"""Always on: the member registry (joins, leaves, the member sync) and /help.

Its store is the kit's members."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.commands import CommandCall, CommandSpec, visible_to
from bot.events import MemberJoined, MemberLeft
from bot.features.manifest import FeatureManifest, Peers
from bot.features.member_sync import install_member_sync
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
        t = self.kit.t
        lines = [t("core.help.title", community=self.kit.config.community.name)]
        for spec in visible_to(self.kit.commands.all(), call.actor):
            marker = t("core.help.manager_marker") if spec.manager_only else ""
            lines.append(f"{spec.usage()} - {t(spec.key)}{marker}")
        return [call.reply("\n".join(lines))]


def install(kit: Kit, store: MemberStore, peers: Peers) -> CoreFeature:
    feature = CoreFeature(kit)
    kit.dispatcher.on(MemberJoined, feature.on_join)
    kit.dispatcher.on(MemberLeft, feature.on_leave)
    kit.commands.add(CommandSpec(path=("help",), handler=feature.help))
    install_member_sync(kit, store)
    return feature


MANIFEST: FeatureManifest[MemberStore] = FeatureManifest(
    name="core", section=None, config_model=None, messages=MESSAGES, install=install
)
