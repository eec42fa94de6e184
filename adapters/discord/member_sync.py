"""The Discord member list for Plein's member sync.

discord.py fetches the guild's members through the gateway (op 8 REQUEST_GUILD_MEMBERS, answered
by GUILD_MEMBERS_CHUNK events of up to 1000 members) before `on_ready` when the members intent is
on, and keeps the cache current from member add/update/remove events. So a sync reads that cache
and streams it to the core in batches; it never asks Discord again (an all-members request is
rate limited to one per guild per 30 s, and discord.py has no handler for that refusal).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from itertools import islice

import discord

from adapters.discord.translate import member_id
from bot.events import ListedMember, MembersListed
from bot.host import Host

log = logging.getLogger("plein.discord.members")

BATCH = 1000


def listed(member: discord.Member) -> ListedMember:
    return ListedMember(
        id=member_id(member.id),
        name=member.display_name,
        is_bot=bool(member.bot),
        joined_at=member.joined_at,
    )


def batches(guild: discord.Guild) -> Iterator[tuple[ListedMember, ...]]:
    """The cached members, BATCH at a time: only one batch of Plein objects exists at once."""
    members = iter(list(guild.members))  # a snapshot of references; the cache may change meanwhile
    while batch := tuple(listed(m) for m in islice(members, BATCH)):
        yield batch


async def sync_members(host: Host, guild: discord.Guild, sync_id: str | None = None) -> int:
    """Stream the guild's member list to the core as MembersListed batches; returns the count."""
    if not guild.chunked:
        log.warning(
            "member list of %s incomplete (%d of %s cached): is the Server Members intent on?",
            guild.id,
            len(guild.members),
            guild.member_count,
        )
        return 0  # an incomplete list would mark everyone missing from it as left
    sync_id = sync_id or f"discord-{uuid.uuid4().hex}"
    count = 0
    pending: tuple[ListedMember, ...] | None = None
    for batch in batches(guild):
        if pending is not None:
            await host.dispatch(MembersListed(sync_id=sync_id, batch=pending))
        pending = batch
        count += len(batch)
    await host.dispatch(MembersListed(sync_id=sync_id, batch=pending or (), last=True))
    return count
