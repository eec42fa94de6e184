"""Interest after downtime: re-read who is 'Interested' in the guild's open scheduled events.

Live GUILD_SCHEDULED_EVENT_USER_ADD/_REMOVE events are missed while Plein is down or between
sessions, so after every fresh session (`on_ready`: a start or a non-resume reconnect) each open
event's subscribers are read again and handed to the core as one `InterestListed`, which
reconciles the RSVPs. The list comes from GET /guilds/{guild}/scheduled-events/{event}/users,
paged as documented: at most 100 per page, "always returned in ascending order by user_id",
the next page `after` the last id of this one.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from adapters.discord.translate import member_id
from bot.events import InterestListed, Member
from bot.host import Host

log = logging.getLogger("plein.discord.interest")

PAGE = 100
OPEN = (discord.EventStatus.scheduled, discord.EventStatus.active)


async def subscribers(http: Any, guild_id: int, event_id: int) -> list[Member]:
    """Every subscriber of one event, page by page (`http` is the client's discord.py HTTP)."""
    people: list[Member] = []
    after: int | None = None
    while True:
        page = await http.get_scheduled_event_users(
            guild_id, event_id, limit=PAGE, with_member=False, after=after
        )
        for entry in page:
            user = entry["user"]
            name = user.get("global_name") or user.get("username") or str(user["id"])
            people.append(Member(member_id(user["id"]), name, bool(user.get("bot"))))
        if len(page) < PAGE:
            return people
        after = int(page[-1]["user"]["id"])


async def reread_interest(host: Host, http: Any, guild: discord.Guild) -> int:
    """One InterestListed per open scheduled event of the guild; returns how many were read."""
    read = 0
    for event in list(guild.scheduled_events):
        if event.status not in OPEN:
            continue
        try:
            people = await subscribers(http, guild.id, event.id)
        except discord.HTTPException as err:
            log.warning("could not read the subscribers of event %s: %s", event.id, err)
            continue  # the live events still count; the next session tries again
        await host.dispatch(InterestListed(platform_ref=str(event.id), members=tuple(people)))
        read += 1
    return read
