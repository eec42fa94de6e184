"""The durable inbox's group commit (bot/inbox.py), on SQLite and PostgreSQL: requests that
arrive while a commit is under way share the next transaction, and none is answered (acked)
before its own row is committed, so a crash right after an ack loses nothing acknowledged
(tests/faults/test_sigkill.py kills a real process at a random point for that)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from sqlalchemy import text

from bot.clock import ManualClock
from bot.inbox import Inbox
from storage.db import Database
from storage.inbox import SqlInboxStore

REQUESTS = 60


async def nothing_to_flush() -> None:
    return None


async def stored(db: Database, event_id: str) -> bool:
    async with db.connect() as conn:  # another connection: sees committed rows only
        found = await conn.execute(
            text("SELECT count(*) FROM inbox WHERE event_id = :id"), {"id": event_id}
        )
        return int(found.scalar_one()) == 1


async def test_concurrent_requests_share_a_commit_and_each_is_stored_before_its_ack(
    storage_url: str,
) -> None:
    db = Database.from_url(storage_url)
    await db.migrate()
    inbox = Inbox(
        SqlInboxStore(db), ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC)), flush=nothing_to_flush
    )
    # The community already has history: a delivery from before, stored and processed.
    assert await inbox.accept("Ev-earlier", "slack.event", json.dumps({"event_id": "Ev-earlier"}))
    inbox.done("Ev-earlier")
    before = inbox.commits

    async def request(n: int) -> tuple[bool, bool]:
        event_id = f"Ev{n:04d}"
        fresh = await inbox.accept(event_id, "slack.event", json.dumps({"event_id": event_id}))
        return fresh, await stored(db, event_id)  # the ack would go out here

    answers = await asyncio.gather(*(request(n) for n in range(REQUESTS)))
    assert answers == [(True, True)] * REQUESTS, "every ack comes after its row's commit"
    assert inbox.commits - before <= 2, f"{inbox.commits - before} transactions for one burst"
    # Slack's retries of stored events, one of them from before: acked, not stored again.
    repeats = await asyncio.gather(
        *(inbox.accept(e, "slack.event", "{}") for e in ("Ev0003", "Ev-earlier", "Ev0003"))
    )
    assert repeats == [False, False, False]
    await inbox.close()
    await db.close()
