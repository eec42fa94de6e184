"""Slack: a process taking over a calendar post first looks whether the dead process's message
is already in the channel (tagged with the occurrence's key in message metadata), and posts
only when it is not. The dead process posted and was killed before it could record the ts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.features.calendar.posting import post_key
from storage.calendar import SqlCalendarStore
from tests.adapters.slack.harness import SlackRun
from tests.calendar.helpers import config

DUE = datetime.fromisoformat("2026-03-25T09:00:00+01:00")  # the plan's "wed 09:00" slot
CHANNEL = "C0ALGEMEEN"


@pytest.fixture
async def run(tmp_path: Path) -> AsyncIterator[SlackRun]:
    slack = SlackRun(tmp_path, config_text=config())
    await slack.start("2026-03-23T08:00:00+01:00")
    try:
        yield slack
    finally:
        await slack.stop()
        await slack.fake.close()


async def claimed_by_a_dead_process(run: SlackRun) -> int:
    """Another process claims the occurrence (it has its own owner id) and is gone."""
    assert run.plein is not None
    dying = SqlCalendarStore(run.plein.db)
    [occurrence] = await dying.between(DUE - timedelta(minutes=1), DUE)
    assert await dying.claim_post(occurrence.id, DUE)
    return occurrence.id


async def test_the_dead_process_had_posted_so_the_takeover_does_not(run: SlackRun) -> None:
    await run.advance(days=1, hours=2)  # Tuesday: hosts reminded, prompt decided
    occurrence_id = await claimed_by_a_dead_process(run)
    # ... which posted (Slack has the message, with the key) and died before recording it
    posted = run.fake.m_chat_postMessage(
        {
            "channel": CHANNEL,
            "text": "Question · Birds\n\nWhich bird did you see this week?",
            "metadata": {
                "event_type": "plein_post",
                "event_payload": {"key": post_key(occurrence_id)},
            },
        }
    )
    await run.advance(days=1, hours=1)  # past the slot and the lease
    assert run.posts(CHANNEL) == []  # found, not posted again
    assert run.plein is not None
    occurrence = await SqlCalendarStore(run.plein.db).by_id(occurrence_id)
    assert occurrence is not None and occurrence.status == "posted"
    assert occurrence.message_ref is not None and posted["ts"] in occurrence.message_ref


async def test_the_dead_process_had_not_posted_so_the_takeover_does(run: SlackRun) -> None:
    await run.advance(days=1, hours=2)
    occurrence_id = await claimed_by_a_dead_process(run)
    await run.advance(days=1, hours=1)
    [post] = run.posts(CHANNEL)
    assert "Which bird did you see this week?" in post.text()
    assert post["metadata"]["event_payload"]["key"] == post_key(occurrence_id)
