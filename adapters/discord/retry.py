"""Posting through a Discord outage: a 429 or 5xx that outlasts discord.py's own retries is
tried again later on Plein's clock, so the post arrives once, late, instead of being lost.

discord.py already waits out a 429 (its `retry_after`) and a 5xx (1, 3, 5, 7 s) but gives up after
five tries, about 16 seconds. Plein then keeps the action and tries again after 5, 10, 20, 40 and
60 s pauses, for up to RETRY_FOR. A new message carries a nonce with `enforce_nonce`, the same on
every try, so a 5xx after Discord did create the message cannot post it twice (Discord returns
the message it already has). Interaction answers are not retried: their token and their first
response window belong to the member waiting, and adapters/discord/deferred.py covers them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta

import discord

from bot.actions import Delivery
from bot.clock import Clock

log = logging.getLogger("plein.discord.retry")

RETRY_FOR = timedelta(minutes=5)
FIRST_PAUSE = timedelta(seconds=5)
LONGEST_PAUSE = timedelta(seconds=60)


def new_nonce() -> str:
    """Discord nonces are at most 25 characters."""
    return secrets.token_hex(10)


def transient(exc: discord.HTTPException) -> bool:
    return exc.status == 429 or exc.status >= 500


async def retried(
    clock: Clock | None, what: str, attempt: Callable[[], Awaitable[Delivery]]
) -> Delivery:
    """Run `attempt` until it gets through, a non-transient error, or RETRY_FOR has passed."""
    if clock is None:
        return await attempt()
    give_up = clock.now() + RETRY_FOR
    pause = FIRST_PAUSE
    tries = 1
    while True:
        try:
            delivery = await attempt()
        except discord.HTTPException as exc:
            if not transient(exc) or clock.now() + pause > give_up:
                raise
            log.warning(
                "discord answered %s to %s (try %d); trying again in %ds",
                exc.status,
                what,
                tries,
                pause.total_seconds(),
            )
            await clock.sleep_until(clock.now() + pause, asyncio.Event())
            pause = min(pause * 2, LONGEST_PAUSE)
            tries += 1
            continue
        if tries > 1:
            log.info("%s went through on try %d", what, tries)
        return delivery
