from __future__ import annotations

from bot.actions import PostMessage, SendDM
from bot.kit import Kit
from bot.signals import MemberArrived


class OnboardingService:
    def __init__(self, kit: Kit) -> None:
        self.kit = kit
        self.config = kit.config.onboarding

    async def welcome_text(self, member_id: str) -> str:
        community = self.kit.config.community
        template = self.config.welcome or self.kit.t("onboarding.welcome.default")
        return template.format(
            member=self.kit.outbox.mention(member_id),
            community=community.name,
            mission=community.mission,
            member_count=await self.kit.members.count_present(),
        )

    async def on_arrived(self, arrived: MemberArrived) -> None:
        if not arrived.first_time:
            return
        text = await self.welcome_text(arrived.member_id)
        channel = self.kit.config.community.welcome_channel
        if self.config.deliver == "channel":
            await self.kit.outbox.send(PostMessage(channel=channel, text=text))
        else:
            await self.kit.outbox.send(
                SendDM(member=arrived.member_id, text=text, fallback_channel=channel)
            )
