"""Posting through a platform outage: a refusal that outlasts the client library's own retries
is tried again later on Plein's clock, so the post arrives once, late, instead of being lost.

Each adapter says which errors are worth another try (`transient`): only those where a retry
cannot post twice. Discord: a 429 (nothing was created) or a 5xx (new messages carry an enforced
nonce, so Discord returns the message it already has). Slack: `ratelimited`, and a 5xx or a lost
answer, after which the post may exist: chat.postMessage has no idempotency key, so each post
carries a key in its message metadata and is looked up before it is tried again
(adapters/slack/post_once.py).
Pauses: 5, 10, 20, 40, then 60 s, for up to RETRY_FOR. The work that sent the action waits.
Interaction answers are not retried this way: their short windows belong to the member waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.actions import Delivery
from bot.clock import Clock

log = logging.getLogger("plein.retry")

RETRY_FOR = timedelta(minutes=5)
FIRST_PAUSE = timedelta(seconds=5)
LONGEST_PAUSE = timedelta(seconds=60)


async def retried(
    clock: Clock | None,
    what: str,
    attempt: Callable[[], Awaitable[Delivery]],
    transient: Callable[[Exception], bool],
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
        except Exception as exc:
            if not transient(exc) or clock.now() + pause > give_up:
                raise
            log.warning(
                "%s refused (%s, try %d); trying again in %ds",
                what,
                exc,
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
