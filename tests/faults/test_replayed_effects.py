"""A reaction and a multi-choice vote click replayed from the inbox after a crash change nothing.

The crash is reproduced in the database as a SIGKILL in that window leaves it: the effects of
Carol's reaction and Anna's click are committed, their inbox rows are still unprocessed with
their payload (Plein died between the effect's commit and the processed mark). At the restart
both are handed back from the inbox and processed again. A reaction's rows carry no emoji and a
multi-choice click is a toggle, so without a stored key per event the reaction would count
twice and the click would take Anna's vote back. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from storage.db import Database
from tests.adapters.slack.harness import ANNA, BERT, CAROL, NAMES, SlackRun
from tests.fakes.slack import payloads as p

CHANNEL = "C0ALGEMEEN"
RESTART = "2026-03-23T08:05:00+01:00"


async def query(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    db = Database.from_url(url)
    try:
        async with db.connect() as conn:
            return [tuple(row) for row in await conn.execute(text(sql), params)]
    finally:
        await db.close()


async def state(url: str) -> dict[str, Any]:
    """What a replay must not change: raw reaction rows, the aggregates, the votes."""
    return {
        "reactions": await query(
            url,
            "SELECT member_id, kind, count(*), sum(points) FROM contributions "
            "WHERE kind IN ('reaction_given', 'reaction_received') "
            "GROUP BY member_id, kind ORDER BY member_id, kind",
        ),
        "daily": await query(
            url,
            "SELECT member_id, kind, sum(count), sum(points) FROM contribution_daily "
            "GROUP BY member_id, kind ORDER BY member_id, kind",
        ),
        "totals": await query(
            url,
            "SELECT member_id, sum(points) FROM contribution_totals "
            "WHERE period = 'all' GROUP BY member_id ORDER BY member_id",
        ),
        "votes": await query(
            url,
            "SELECT b.member_id, v.position FROM poll_votes v "
            "JOIN poll_ballots b ON b.id = v.ballot_id ORDER BY b.member_id, v.position",
        ),
    }


async def crash_window(url: str, rows: dict[str, dict[str, Any]]) -> None:
    """Put the inbox rows back as a kill between the effect and the processed mark leaves them."""
    db = Database.from_url(url)
    try:
        async with db.begin() as conn:
            for event_id, body in rows.items():
                done = await conn.execute(
                    text(
                        "UPDATE inbox SET processed_at = NULL, payload = :payload "
                        "WHERE event_id = :id"
                    ),
                    {"payload": json.dumps(body), "id": event_id},
                )
                assert done.rowcount == 1, event_id
    finally:
        await db.close()


async def test_a_replayed_reaction_and_multi_choice_click_change_nothing(
    tmp_path: Any, storage_url: str
) -> None:
    first = await SlackRun(tmp_path, storage_url=storage_url).start()
    # History: people talk and react, a multi-choice poll has votes.
    await first.event(p.message(ANNA, CHANNEL, "wie komt er zaterdag?", "1711180000.000100"))
    await first.event(p.message(BERT, CHANNEL, "ik! en jij Carol?", "1711180000.000200"))
    await first.event(p.reaction_added(BERT, CHANNEL, "1711180000.000100", "thumbsup", ANNA))
    await first.command(BERT, 'poll "Which days?" Monday Tuesday Wednesday max_choices:2')
    poll = first.posts(CHANNEL)[-1]
    await first.click(CAROL, poll, "Monday")
    await first.click(ANNA, poll, "Monday")

    # The two events caught by the crash.
    reaction = p.reaction_added(CAROL, CHANNEL, "1711180000.000100", "tada", ANNA)
    await first.event(reaction)
    button = next(b for b in poll.buttons() if b["text"]["text"] == "Tuesday")
    hook = first.fake.response_url("act")
    click = p.block_actions(ANNA, NAMES[ANNA], CHANNEL, first.ts_of(poll), button, hook)
    await first.interactive(click)
    assert first.answers(hook.rsplit("/", 1)[-1]), "Anna was told her vote"
    await first.stop()

    before = await state(storage_url)
    assert ("slack:" + ANNA, 1) in before["votes"] and ("slack:" + ANNA, 2) in before["votes"]
    assert ("slack:" + CAROL, "reaction_given", 1, 1) in before["reactions"]
    again = SlackRun(tmp_path, storage_url=storage_url)
    await again.fake.start()
    # Slack's response_url lives 30 minutes: the replayed click is answered on it (here the
    # restarted run's fake Slack serves it).
    click["response_url"] = again.fake.response_url("act")
    await crash_window(
        storage_url,
        {reaction["event_id"]: reaction, f"slack.action:{click['trigger_id']}": click},
    )

    await again.start(RESTART)
    await again.settle()
    answers = again.answers(click["response_url"].rsplit("/", 1)[-1])
    await again.stop()
    assert len(answers) == 1 and "Monday" in answers[0] and "Tuesday" in answers[0], answers

    after = await state(storage_url)
    assert after["reactions"] == before["reactions"], "the replayed reaction counted again"
    assert after["votes"] == before["votes"], "the replayed click toggled the vote back"
    assert after["daily"] == before["daily"]
    assert after["totals"] == before["totals"]
    pending = await query(storage_url, "SELECT count(*) FROM inbox WHERE processed_at IS NULL")
    assert pending == [(0,)], "both replays were marked processed"


async def test_a_reaction_lost_in_the_crash_counts_once_after_the_restart(
    tmp_path: Any, storage_url: str
) -> None:
    """The other side of the window: acknowledged, but killed before its effect was stored."""
    first = await SlackRun(tmp_path, storage_url=storage_url).start()
    await first.event(p.message(ANNA, CHANNEL, "foto's van zaterdag", "1711180000.000100"))
    reaction = p.reaction_added(CAROL, CHANNEL, "1711180000.000100", "heart", ANNA)
    await first.event(reaction)
    await first.stop()
    before = await state(storage_url)
    db = Database.from_url(storage_url)
    try:
        async with db.begin() as conn:  # the effect (and its key) never committed
            await conn.execute(text("DELETE FROM contributions WHERE kind LIKE 'reaction%'"))
            await conn.execute(text("DELETE FROM contribution_daily WHERE kind LIKE 'reaction%'"))
            await conn.execute(text("DELETE FROM inbox WHERE event_id LIKE 'effect:%'"))
    finally:
        await db.close()
    await crash_window(storage_url, {reaction["event_id"]: reaction})

    again = await SlackRun(tmp_path, storage_url=storage_url).start(RESTART)
    await again.settle()
    await again.stop()

    after = await state(storage_url)
    assert after["reactions"] == before["reactions"], "the lost reaction is counted once"
