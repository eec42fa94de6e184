"""A deferred interaction survives a restart: recorded before the defer, apologised for after.

A defer tells the member "Plein is thinking"; Discord then waits up to 15 minutes for the answer
on the interaction's webhook token and never resends the interaction. So before deferring, the
adapter stores the token in the durable inbox (bot/inbox.py); when the answer has gone out, the
row is marked done. A row still open at the next start was acknowledged and never answered (a
crash or a stop came first): while the token lives, Plein posts an apology as a follow-up on it
("sorry, I restarted; please try again"), in the community's language; after 15 minutes the
token is dead and the row is dropped silently. The handler is not run again: its effects may
already be stored, and a repeat is worse than asking the member to try again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import discord

from bot.clock import Clock
from bot.inbox import InboxPort, InboxUnavailable

log = logging.getLogger("plein.discord.deferred")

KIND = "discord.interaction"
TOKEN_LIFETIME = timedelta(minutes=15)
"""Discord's interaction tokens are valid for 15 minutes."""


PREFIX = "discord:deferred:"
"""Not the event id the pipeline claims ("discord:interaction:<id>"): that row is its own."""


def inbox_key(interaction_id: int | str) -> str:
    return f"{PREFIX}{interaction_id}"


async def remember(inbox: InboxPort, interaction: discord.Interaction) -> str | None:
    """Store what a follow-up needs, before the defer. The key, or None when the inbox cannot
    write: then the adapter does not defer (nothing is acknowledged that Plein could forget)."""
    key = inbox_key(interaction.id)
    payload = json.dumps(
        {"application_id": str(interaction.application_id), "token": interaction.token}
    )
    try:
        await inbox.accept(key, KIND, payload)
    except InboxUnavailable as error:
        log.warning("interaction %s not recorded (%s); not deferred", interaction.id, error)
        return None
    return key


@dataclass
class Recovered:
    apologised: int = 0
    expired: int = 0
    failed: int = 0


async def recover(
    inbox: InboxPort, clock: Clock, state: Any, apology: str, *, live: Callable[[str], bool]
) -> Recovered:
    """Answer every deferred interaction the last run left open, while its token lives.
    `state` is the client's connection state (what discord.py's own follow-up webhook uses);
    `live(interaction_id)` is true for one this run is handling (it arrived before READY's end)."""
    counts = Recovered()
    for row in await inbox.pending("discord."):
        if row.kind != KIND or live(row.event_id.removeprefix(PREFIX)):
            continue
        if clock.now() - row.received_at >= TOKEN_LIFETIME:
            counts.expired += 1
        else:
            data = json.loads(row.payload or "{}")
            webhook = discord.Webhook.from_state(
                {"id": int(data["application_id"]), "type": 3, "token": data["token"]}, state
            )
            try:
                await webhook.send(apology, ephemeral=True)
                counts.apologised += 1
            except discord.HTTPException as exc:
                log.warning("could not follow up interaction: %s %s", exc.status, exc.text)
                counts.failed += 1
        inbox.done(row.event_id, after_writers=False)
    if counts.apologised or counts.expired or counts.failed:
        log.info(
            "deferred interactions left open by the last run: %d apologised, %d expired, %d failed",
            counts.apologised,
            counts.expired,
            counts.failed,
        )
    return counts
