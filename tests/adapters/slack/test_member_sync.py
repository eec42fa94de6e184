"""Plein starts in a Slack workspace that already has 1,000 members: users.list page by page
(limit 200, cursor), a 429 honoured on the clock, deleted users, bots and Slackbot skipped; after
downtime only the recent joiner is welcomed and the leaver is marked left."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

from tests.adapters.slack.harness import ANNA, BERT, SlackRun
from tests.fakes.slack import payloads as p

RESTART = "2026-03-26T09:00:00+01:00"
LONG_AGO = int(datetime.fromisoformat("2024-05-01T12:00:00+00:00").timestamp())


class Logged(logging.Handler):
    """Sets an event when a record containing `needle` is logged (no polling, no sleeping)."""

    def __init__(self, needle: str) -> None:
        super().__init__(logging.INFO)
        self.needle = needle
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if self.needle in record.getMessage():
            self.seen.set()


def said(run: SlackRun, text: str) -> list[str]:
    bodies = [json.dumps(c.args, ensure_ascii=False) for c in run.fake.calls]
    return [b for b in bodies if text in b]


async def test_existing_workspace_then_downtime_with_joins_and_a_leave(
    tmp_path: Path, storage_url: str
) -> None:
    run = SlackRun(tmp_path, storage_url=storage_url, mode="http")
    fake = run.fake
    for n in range(997):  # with Anna, Bert and Carol from the harness: 1,000 people
        fake.add_user(f"U{n:08d}", f"lid{n:05d}", updated=LONG_AGO)
    fake.add_user("UGONE0001", "Vertrokken")["deleted"] = True
    fake.add_user("BHELPER01", "helper-bot", is_bot=True)
    fake.rate_limited["users.list"] = {2}
    limited = Logged("rate limited the member list")
    logger = logging.getLogger("plein.slack.members")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(limited)
    try:
        await run.start(wait_connected=False)
        await asyncio.wait_for(limited.seen.wait(), 5)  # page 2 got a 429 + Retry-After: 1
        assert run.plein is not None and run.plein.time_control is not None
        await run.plein.time_control.advance_to(run.plein.clock.now() + timedelta(seconds=1))
        await run.until_connected()
    finally:
        logger.removeHandler(limited)
        logger.setLevel(level)
    plein = run.plein
    pages = fake.calls_to("users.list")
    assert [c.result["ok"] for c in pages] == [True, False, True, True, True, True, True]
    assert all(str(c["limit"]) == "200" for c in pages)
    assert pages[1].get("cursor") == pages[2].get("cursor") == "200"  # the same page, again
    assert await plein.kit.members.count_present() == 1000  # no bot, no deleted, no Slackbot
    assert await plein.kit.members.get("slack:USLACKBOT") is None
    assert fake.calls_to("conversations.open") == []  # not one welcome DM

    await run.event(p.message(BERT, "C0ALGEMEEN", "al jaren lid", "1700000100.000001"))
    await run.advance(hours=1)
    await run.command(ANNA, "report")
    assert said(run, "Members: 1000 (0 new)")
    await run.command(ANNA, "spotlight now")
    [spotlight] = said(run, "Spotlight of the week")
    assert f"<@{BERT}>" in spotlight  # here before Plein, and active
    await run.stop()

    # Down for three days: Nina joined 2 hours ago, Otto 2 days ago (beyond 24h), one left.
    restart = datetime.fromisoformat(RESTART)
    fake.add_user("UNINA0001", "Nina", updated=int((restart - timedelta(hours=2)).timestamp()))
    fake.add_user("UOTTO0001", "Otto", updated=int((restart - timedelta(days=2)).timestamp()))
    fake.users["U00000003"]["deleted"] = True
    fake.rate_limited.clear()
    posted_before = len(fake.calls_to("chat.postMessage"))
    await run.start(RESTART)
    await run.settle()
    welcomed = [
        c["channel"]
        for c in fake.calls_to("chat.postMessage")[posted_before:]
        if str(c.get("channel")).startswith("D") and c.text().startswith("Welkom bij")
    ]  # (anna also hears that the calendar's question prompt from before is still waiting)
    assert welcomed == ["DUNINA0001"]  # exactly the recent joiner is welcomed
    otto = await run.plein.kit.members.get("slack:UOTTO0001")
    assert otto is not None and otto.left_at is None
    gone = await run.plein.kit.members.get("slack:U00000003")
    assert gone is not None and gone.left_at == restart
    await run.stop()


async def test_a_community_channel_limits_the_members_to_that_channel(
    tmp_path: Path, storage_url: str
) -> None:
    env = {"PLEIN_SLACK__COMMUNITY_CHANNEL": "C0ALGEMEEN"}
    run = SlackRun(tmp_path, storage_url=storage_url, mode="http", env=env)
    for n in range(450):
        run.fake.add_user(f"U{n:08d}", f"lid{n:05d}")
    run.fake.channel_members["C0ALGEMEEN"] = [ANNA, BERT, *(f"U{n:08d}" for n in range(250))]
    await run.start()
    assert await run.plein.kit.members.count_present() == 252
    assert len(run.fake.calls_to("conversations.members")) == 2  # 252 ids, pages of 200
    await run.stop()


async def test_the_daily_sync_notices_a_deactivated_account(
    tmp_path: Path, storage_url: str
) -> None:
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http").start()
    before = len(run.fake.calls_to("users.list"))
    run.fake.users[BERT]["deleted"] = True  # deactivated while Plein missed the user_change
    await run.advance(days=1)  # past 04:30: the daily member sync
    assert len(run.fake.calls_to("users.list")) > before
    bert = await run.plein.kit.members.get(f"slack:{BERT}")
    assert bert is not None and bert.left_at is not None
    await run.stop()


async def test_listed_members_post_without_a_users_info_call_each(tmp_path: Path) -> None:
    """The start-up sync already named every member: a busy channel of people who have not
    posted since the start costs no Web API call per person."""
    run = SlackRun(tmp_path, mode="http")
    for n in range(50):
        run.fake.add_user(f"UPOST{n:04d}", f"poster{n}", updated=LONG_AGO)
    await run.start()
    try:
        for n in range(50):
            ts = f"1711180000.{n:06d}"
            await run.event(p.message(f"UPOST{n:04d}", "C0ALGEMEEN", f"hallo {n}", ts))
        assert run.fake.calls_to("users.info") == []
    finally:
        await run.stop()
