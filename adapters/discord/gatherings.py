"""Members meeting: an introduction as a private thread, an event as a Guild Scheduled Event.

A private thread (type 12, not invitable) under the configured channel, with the members added
one by one (PUT /channels/{thread}/thread-members/{user}), stands in for a group DM, which bots
cannot open. Events are external Guild Scheduled Events (entity_type 3) with the place as their
location; moving edits the times, cancelling sets status 4 (CANCELED).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import discord

from adapters.discord.mentions import DiscordText
from adapters.discord.translate import message_ref, snowflake
from bot.actions import Delivery, GroupDM, ScheduleEvent

log = logging.getLogger("plein.discord")

THREAD_NAME_MAX = 100
EVENT_NAME_MAX = 100
LOCATION_MAX = 100
DESCRIPTION_MAX = 1000


class Gatherings:
    def __init__(
        self,
        text: DiscordText,
        guild: Callable[[], discord.Guild | None],
        channel_id: Callable[[str], int | None],
    ) -> None:
        self.text = text
        self.guild = guild
        self.channel_id = channel_id

    async def group_dm(self, action: GroupDM, content: dict[str, Any]) -> Delivery:
        guild = self.guild()
        ident = self.channel_id(action.channel) if action.channel else None
        parent = guild.get_channel(ident) if guild is not None and ident is not None else None
        if not isinstance(parent, discord.TextChannel):
            return Delivery(ok=False, reason="unsupported")
        thread = await parent.create_thread(
            name=self.text.plain(action.title or "…")[:THREAD_NAME_MAX],
            type=discord.ChannelType.private_thread,
            invitable=False,
        )
        for member in action.members:
            user = snowflake(member)
            if user is not None:
                await thread.add_user(discord.Object(user))
        message = await thread.send(**content)
        return Delivery(ref=message_ref(thread.id, message.id), channel=str(thread.id))

    async def schedule(self, action: ScheduleEvent) -> Delivery:
        guild = self.guild()
        if guild is None:
            return Delivery(ok=False, reason="not_connected")
        name = self.text.plain(action.name)[:EVENT_NAME_MAX]
        location = self.text.plain(action.place or "-")[:LOCATION_MAX]
        description = self.text.plain(action.description)[:DESCRIPTION_MAX]
        if action.platform_ref is None:
            created = await guild.create_scheduled_event(
                name=name,
                start_time=action.starts_at,
                end_time=action.ends_at,
                entity_type=discord.EntityType.external,
                privacy_level=discord.PrivacyLevel.guild_only,
                location=location,
                description=description,
            )
            return Delivery(ref=str(created.id))
        ident = int(action.platform_ref)
        event = guild.get_scheduled_event(ident) or await guild.fetch_scheduled_event(ident)
        if action.cancelled:
            await event.cancel()
        else:
            await event.edit(start_time=action.starts_at, end_time=action.ends_at)
        return Delivery(ref=action.platform_ref)
