"""A calendar post claimed by a process that then died is posted once, by another process,
after the claim's lease expires (storage/claims.py); never twice, never lost."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.calendar import SqlCalendarStore
from storage.claims import DEFAULT_LEASE
from tests.calendar.helpers import START, config, open_store, posts
from tests.support import ConsoleRun

DUE = datetime.fromisoformat("2026-03-25T09:00:00+01:00")  # the plan's "wed 09:00" slot


async def claim_and_die(console: ConsoleRun) -> str:
    """What a process SIGKILLed right after its claim leaves behind: the row 'posting', the
    lease open, nothing posted. Returns the reminded prompt's key."""
    db, _ = await open_store(console.url)
    try:
        dying = SqlCalendarStore(db)  # its own owner id, as another process would have
        [occurrence] = await dying.between(DUE - timedelta(minutes=1), DUE)
        assert occurrence.prompt_key is not None  # decided when the hosts were reminded
        assert await dying.claim_post(occurrence.id, DUE)
    finally:
        await db.close()
    return occurrence.prompt_key


async def test_a_post_claimed_by_a_dead_process_is_taken_over_once(console: ConsoleRun) -> None:
    console.config_text = config()
    reminded = await console.run("wait 1d2h", START)  # Tuesday: hosts reminded, prompt decided
    assert posts(reminded, "algemeen") == []
    await claim_and_die(console)

    before_lease = await console.run("wait 1m", DUE.isoformat())
    assert posts(before_lease, "algemeen") == []  # still the dead process's, for all we know

    after = await console.run("wait 10m", (DUE + timedelta(minutes=1)).isoformat())
    [post] = posts(after, "algemeen")
    assert "Which bird did you see this week?" in post["text"]  # the reminded prompt

    later = await console.run("wait 1h", (DUE + DEFAULT_LEASE * 3).isoformat())
    assert posts(later, "algemeen") == []
    db, store = await open_store(console.url)
    try:
        [occurrence] = await store.between(DUE - timedelta(minutes=1), DUE)
    finally:
        await db.close()
    assert occurrence.status == "posted" and occurrence.message_ref is not None
