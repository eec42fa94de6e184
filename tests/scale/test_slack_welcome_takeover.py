"""Slack: a welcome DM claimed by a process that then died is taken over after the lease; the
process taking over first looks in the DM for the welcome's key (message metadata) and sends it
only when the dead process had not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.onboarding import SqlOnboardingStore
from tests.adapters.slack.harness import SlackRun

DORA = "UDORA004"


@pytest.fixture
async def run(tmp_path: Path) -> AsyncIterator[SlackRun]:
    slack = SlackRun(tmp_path)
    await slack.start("2026-03-23T10:00:00+01:00")
    try:
        yield slack
    finally:
        await slack.stop()
        await slack.fake.close()


async def claimed_by_a_dead_process(run: SlackRun) -> int:
    """Dora joined; another process (its own owner id) queued and claimed her welcome, and is
    gone. Returns the queued welcome's id."""
    assert run.plein is not None
    run.fake.add_user(DORA, "Dora")
    now = run.plein.clock.now()
    await run.plein.kit.members.ensure(f"slack:{DORA}", "Dora", False, now)
    dying = SqlOnboardingStore(run.plein.db)
    assert await dying.claim_welcome(f"slack:{DORA}", 1, "welcome", now)
    [item] = await dying.queued(10)
    assert await dying.claim_queued(item.id, now) is not None
    return item.id


@pytest.mark.parametrize("sent", [True, False], ids=["had-sent", "had-not-sent"])
async def test_a_dead_senders_welcome_is_sent_once(run: SlackRun, sent: bool) -> None:
    item_id = await claimed_by_a_dead_process(run)
    if sent:  # ... it did send the DM (with its key) and died before finishing the claim
        run.fake.m_chat_postMessage(
            {
                "channel": f"D{DORA}",
                "text": "Welkom!",
                "metadata": {
                    "event_type": "plein_post",
                    "event_payload": {"key": f"onboarding.welcome:{item_id}"},
                },
            }
        )
    await run.advance(minutes=1)
    assert run.dms(DORA) == []  # the lease holds: the other process may still be at it
    await run.advance(minutes=2, seconds=30)
    assert len(run.dms(DORA)) == (0 if sent else 1)
    await run.advance(hours=1)
    assert len(run.dms(DORA)) == (0 if sent else 1)
