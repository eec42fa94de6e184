"""Marking inbox rows processed (bot/inbox.py): the batched writers are written first, except
for rows whose replay would not run the handlers again (a deferred Discord interaction is only
apologised for after a restart): those no longer flush the whole message backlog."""

from __future__ import annotations

from datetime import datetime

from bot.clock import ManualClock
from bot.inbox import Inbox
from storage.db import Database
from storage.inbox import SqlInboxStore
from tests.support import EXAMPLE_START


async def test_a_deferred_interaction_is_marked_without_flushing_the_writers(
    storage_url: str,
) -> None:
    db = Database.from_url(storage_url)
    await db.migrate()
    flushes: list[str] = []

    async def flush() -> None:
        flushes.append("flush")

    store = SqlInboxStore(db)
    inbox = Inbox(store, ManualClock(datetime.fromisoformat(EXAMPLE_START)), flush=flush)
    try:
        assert await inbox.accept("discord:deferred:1", "discord.interaction", '{"token": "t"}')
        assert await inbox.accept("slack:Ev1", "slack.event", '{"text": "hoi"}')
        inbox.done("discord:deferred:1", after_writers=False)
        await inbox.close()  # writes the marks still queued
        assert flushes == []
        assert [row.event_id for row in await store.unprocessed("")] == ["slack:Ev1"]

        inbox = Inbox(store, ManualClock(datetime.fromisoformat(EXAMPLE_START)), flush=flush)
        inbox.done("slack:Ev1")  # its counters are written before it is marked
        await inbox.close()
        assert flushes == ["flush"]
        assert await store.unprocessed("") == []
    finally:
        await inbox.close()
        await db.close()
