"""SIGKILL during a vote storm and a message burst on Slack HTTP mode; restart; nothing acked is lost.

The real Plein runs in a subprocess (tests/faults/runner.py) on SQLite or PostgreSQL, the fake Slack
Web API runs here. Requests are signed like Slack's. At a random point (the seed is printed;
PLEIN_FAULT_SEED replays one) the process is SIGKILLed; in-flight requests then fail and were not
acknowledged. After a restart Slack's behaviour is replayed: every event is delivered again with
`X-Slack-Retry-Num: 1` (the acknowledged ones must be dropped, the unacknowledged ones stored
once) and acknowledged clicks are delivered twice. Then an orderly stop, and the database is read.

Processing is at-least-once (bot/inbox.py): rows handled before the kill but not yet marked are
handled again at the restart. A ballot cannot double (one per poll and member), and neither can a
message counter: a replayed message already stored since it was received is not counted again,
so the burst asserts no message is counted twice (neither by a Slack retry nor by a replay).

An orderly stop finishes the pieces running and leaves the queued, acknowledged work in the inbox
(adapters/slack/work.py), so before judging what was lost one more start (with no requests)
processes that rest; only then are the acknowledged requests retried, so a retry cannot hide a
loss.
"""

from __future__ import annotations

import asyncio
import os
import random
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.slack import FakeSlack
from tests.fakes.slack import payloads as p
from tests.faults.process import PleinProcess, Request, Sender
from tests.support import all_rows, one_row

CHANNEL = "C0ALGEMEEN"
CHANNELS = {CHANNEL: "algemeen", "C0WELKOM": "welkom", "C0BESTUUR": "bestuur"}
MANAGER = "UANNA001"
VOTERS = 500
MESSAGES = 2000
AUTHORS = 50


def member(n: int) -> str:
    return f"UM{n:07d}"


def seeded() -> random.Random:
    seed = int(os.environ.get("PLEIN_FAULT_SEED") or random.SystemRandom().randrange(10**9))
    print(f"\nfault seed {seed} (PLEIN_FAULT_SEED={seed} replays this run)")
    return random.Random(seed)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    for cid, name in CHANNELS.items():
        slack.add_channel(cid, name)
    slack.add_user(MANAGER, "Anna")
    for n in range(VOTERS):
        slack.add_user(member(n), f"Member {n}")
    await slack.start()
    try:
        yield slack
    finally:
        await slack.close()


def report(
    name: str, sent: int, acked: int, stored: int, lost: int, duplicated: int, replayed: int
) -> None:
    print(
        f"{name}: sent {sent}, acknowledged before the kill {acked}, "
        f"acknowledged and stored {stored}, lost {lost}, duplicated {duplicated}, "
        f"inbox rows replayed at restart {replayed}"
    )


async def kill_and_restart(
    plein: PleinProcess, requests: list[Request], rng: random.Random
) -> tuple[Sender, PleinProcess]:
    """Send everything, SIGKILL at a random point, restart; Slack then delivers again only what
    it got no 200 for. Returns who was acknowledged before the kill."""
    first = Sender()
    kill_after = rng.randrange(len(requests) // 5, len(requests) * 4 // 5)
    await first.send_all(plein.url, requests, kill_after=kill_after, plein=plein)
    assert await plein.wait() == -9, "Plein was not killed by the signal"
    assert first.acked, "nothing was acknowledged before the kill"
    restarted = await PleinProcess(plein.storage_url, plein.api_url, plein.log_file).start()
    acked = set(first.acked)
    unacked = [r for r in requests if r.key not in acked]
    again = Sender()
    await again.send_all(restarted.url, unacked, retry=1)
    assert sorted(again.acked) == sorted(r.key for r in unacked), again.failed
    assert await restarted.stop() == 0
    return first, restarted


async def process_what_was_left(plein: PleinProcess) -> None:
    """A start with no requests, until the inbox has nothing unprocessed (what the orderly stop
    after the restart left there), then an orderly stop."""
    again = await PleinProcess(plein.storage_url, plein.api_url, plein.log_file).start()
    for _ in range(600):  # up to 30 s, polling the database
        if await unprocessed_count(plein.storage_url) == (0,):
            break
        await asyncio.sleep(0.05)
    assert await unprocessed_count(plein.storage_url) == (0,), "the inbox was not processed"
    assert await again.stop() == 0


async def redeliver_acknowledged(
    plein: PleinProcess, requests: list[Request], first: Sender
) -> None:
    """Another restart, then a retry of every acknowledged request (as if each 200 was lost
    on the way): each must be dropped."""
    again = await PleinProcess(plein.storage_url, plein.api_url, plein.log_file).start()
    acked = set(first.acked)
    retries = Sender()
    await retries.send_all(again.url, [r for r in requests if r.key in acked], retry=2)
    assert len(retries.acked) == len(acked), retries.failed
    assert await again.stop() == 0


async def ballots_of(url: str) -> tuple[dict[str, int], dict[str, int]]:
    """(member -> taps, member -> votes) from the poll tables."""
    taps = {m.removeprefix("slack:"): n for m, n in await all_rows(
        url, "SELECT member_id, taps FROM poll_ballots")}  # fmt: skip
    votes = {m.removeprefix("slack:"): n for m, n in await all_rows(
        url, "SELECT b.member_id, count(*) FROM poll_votes v "
        "JOIN poll_ballots b ON b.id = v.ballot_id GROUP BY b.member_id")}  # fmt: skip
    return taps, votes


async def message_counts(url: str) -> dict[str, int]:
    query = (
        "SELECT ref, count(*) FROM contributions WHERE kind IN ('message', 'reply') GROUP BY ref"
    )
    return {ref: int(n) for ref, n in await all_rows(url, query)}


async def unprocessed_count(url: str) -> tuple[int, ...]:
    return await one_row(url, "SELECT count(*) FROM inbox WHERE processed_at IS NULL")


async def test_vote_storm_killed_at_a_random_point(
    fake: FakeSlack, tmp_path: Path, storage_url: str
) -> None:
    rng = seeded()
    plein = await PleinProcess(storage_url, fake.api_url, tmp_path / "plein.log").start()
    hook = fake.response_url()
    command = p.slash_command(
        MANAGER, "Anna", CHANNEL, "algemeen", 'poll "Which day?" Monday Tuesday Friday', hook
    )
    setup = Sender()
    form = Request("poll", urllib.parse.urlencode(command), "application/x-www-form-urlencoded")
    await setup.send_all(plein.url, [form])
    assert setup.acked == ["poll"]
    [poll] = [
        c for c in await fake.wait_for_call("chat.postMessage", channel=CHANNEL) if c.buttons()
    ]
    ts = str(poll.result["ts"])
    clicks = []
    for n in range(VOTERS):
        button = rng.choice(poll.buttons())
        body = p.block_actions(
            member(n), f"Member {n}", CHANNEL, ts, button, fake.response_url("act")
        )
        clicks.append(Request.interaction(member(n), body))

    first, restarted = await kill_and_restart(plein, clicks, rng)
    await process_what_was_left(plein)
    stored_before_retries = await ballots_of(storage_url)
    lost = [m for m in first.acked if stored_before_retries[1].get(m) != 1]
    await redeliver_acknowledged(plein, clicks, first)

    ballots, votes = await ballots_of(storage_url)
    unprocessed = await unprocessed_count(storage_url)
    duplicated = [m for m, count in votes.items() if count != 1]
    tapped_again = [m for m, taps in ballots.items() if taps > 1]
    replayed = restarted.replayed_at_start()  # the log holds every start's count
    report("vote storm", VOTERS, len(first.acked), len(first.acked) - len(lost), len(lost),
           len(duplicated), replayed)  # fmt: skip
    print(
        f"vote storm: ballots whose click was handled twice (replayed, same vote) {len(tapped_again)}"
    )
    assert lost == []
    assert duplicated == []
    assert len(tapped_again) <= replayed  # retries were dropped; only inbox replays repeat
    assert sorted(ballots) == sorted(member(n) for n in range(VOTERS))  # the unacked, retried
    assert unprocessed == (0,)


async def test_message_burst_killed_at_a_random_point(
    fake: FakeSlack, tmp_path: Path, storage_url: str
) -> None:
    rng = seeded()
    plein = await PleinProcess(storage_url, fake.api_url, tmp_path / "plein.log").start()
    for n in range(AUTHORS):
        fake.add_user(member(n), f"Member {n}")
    events = []
    for i in range(MESSAGES):
        ts = f"1800000000.{i:06d}"
        body = p.message(member(i % AUTHORS), CHANNEL, f"message {i}", ts, event_id=f"EvB{i:07d}")
        events.append(Request.event(f"{CHANNEL}/{ts}", body))

    first, restarted = await kill_and_restart(plein, events, rng)
    await process_what_was_left(plein)
    stored_before_retries = await message_counts(storage_url)
    lost = [ref for ref in first.acked if ref not in stored_before_retries]
    await redeliver_acknowledged(plein, events, first)

    counts = await message_counts(storage_url)
    unprocessed = await unprocessed_count(storage_url)
    duplicated = [ref for ref, count in counts.items() if count > 1]
    replayed = restarted.replayed_at_start()  # the log holds every start's count
    report("message burst", MESSAGES, len(first.acked), len(first.acked) - len(lost), len(lost),
           len(duplicated), replayed)  # fmt: skip
    assert lost == []
    assert duplicated == []  # retries were dropped; inbox replays found their stored rows
    assert len(counts) == MESSAGES  # the unacknowledged ones came again and were stored once
    assert unprocessed == (0,)
