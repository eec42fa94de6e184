"""Three real Plein processes on one PostgreSQL, a simulated week, a vote storm, and SIGKILLs.

Slack HTTP mode against the Slack fake; a load balancer spreads signed requests over the live
processes and retries on another one what got no 200, as Slack does. The processes share one
virtual clock (tests/scale/file_clock.py) that the test moves hour by hour (and to each calendar
slot's moment) through a week that crosses the change to summer time. Along the way: a poll and
2,000 vote clicks from 500 members, 100 members joining, every calendar post, spotlight and
report of the week. At three seeded points (PLEIN_FAULT_SEED replays a run) one process is
SIGKILLed - in the vote storm, among the joins, and at the moment a calendar post is due - and
started again. Then:
- every scheduled post exactly once (and no message posted twice in any channel),
- every acknowledged vote stored once (one ballot, one vote per member),
- every welcome exactly once, the poll's close announced once, the inbox fully processed.
"""

from __future__ import annotations

import os
import random
import urllib.parse
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.features.calendar.plan import slot_plans
from scheduler import CronMath
from storage.db import Database
from tests.fakes.slack import FakeSlack
from tests.fakes.slack import payloads as p
from tests.faults.process import Request
from tests.scale.cluster import Balancer, Cluster, Node
from tests.scale.file_clock import set_time
from tests.support import config_from

TZ = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 3, 23, 8, 0, tzinfo=TZ)  # a Monday; summer time starts on the Sunday
WEEK = timedelta(days=7)
CHANNELS = {
    "C0ALGEMEEN": "algemeen",
    "C0WELKOM": "welkom",
    "C0BESTUUR": "bestuur",
    "C0VOORSTEL": "voorstellen",
    "C0DOEMEE": "doe-mee",
}
MANAGER = "UANNA001"
WELCOME = "Welkom bij"  # the example community's own welcome text (Dutch, whatever the language)
MEMBERS = 500
CLICKS_EACH = 4  # 2,000 clicks
JOINERS = 100
VOTE_STEPS = range(1, 9)
JOIN_STEPS = range(10, 60)


def member(n: int) -> str:
    return f"UM{n:07d}"


def joiner(n: int) -> str:
    return f"UJ{n:07d}"


def seeded() -> tuple[int, random.Random]:
    seed = int(os.environ.get("PLEIN_FAULT_SEED") or random.SystemRandom().randrange(10**9))
    print(f"\nchaos seed {seed} (PLEIN_FAULT_SEED={seed} replays this run)")
    return seed, random.Random(seed)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    for cid, name in CHANNELS.items():
        slack.add_channel(cid, name)
    slack.add_user(MANAGER, "Anna")
    for n in range(MEMBERS):  # the community as it is: 500 members before the week starts
        slack.add_user(member(n), f"Member {n}")
    await slack.start()
    try:
        yield slack
    finally:
        await slack.close()


def moments(tmp_path: Path) -> tuple[list[datetime], set[datetime]]:
    """Every hour of the week plus each calendar slot's moments (the Thursday 19:30 one)."""
    config = config_from(db_path=tmp_path / "unused.db")
    cron = CronMath(config.community.timezone)
    posts = {
        fire
        for slot in slot_plans(config)
        for fire in cron.fire_times(slot.cron, START, START + WEEK)
    }
    start = START.astimezone(UTC)  # hours of real time: the Sunday night has 23 of them
    hours = {(start + timedelta(hours=h)).astimezone(TZ) for h in range(7 * 24)}
    return sorted(hours | posts), posts


def poll_command(fake: FakeSlack) -> Request:
    body = p.slash_command(
        MANAGER, "Anna", "C0ALGEMEEN", "algemeen", 'poll "Which day?" Monday Tuesday Friday',
        fake.response_url(),
    )  # fmt: skip
    return Request("poll", urllib.parse.urlencode(body), "application/x-www-form-urlencoded")


async def test_three_processes_one_database_a_week_and_three_kills(
    fake: FakeSlack, postgres_url: str, tmp_path: Path
) -> None:
    seed, rng = seeded()
    steps, post_moments = moments(tmp_path)
    post_steps = [i for i, moment in enumerate(steps) if moment in post_moments]
    kills = {
        rng.choice(VOTE_STEPS): "vote storm",
        rng.choice(JOIN_STEPS): "joins",
        rng.choice(post_steps): "calendar post due",
    }
    cluster = Cluster(
        [Node(f"plein-{n}", postgres_url, fake.api_url, tmp_path) for n in range(3)], tmp_path
    )
    try:
        cluster.now = steps[0]
        set_time(tmp_path, steps[0])
        for node in cluster.nodes:
            await node.start()
        await cluster.settle()
        balancer = Balancer(cluster)

        await balancer.send([poll_command(fake)])
        [poll] = await fake.wait_for(
            lambda: [
                c for c in fake.calls_to("chat.postMessage", channel="C0ALGEMEEN") if c.buttons()
            ],
            within=30,
            what="the poll",
        )
        ts = str(poll.result["ts"])
        clicks = [
            Request.interaction(
                f"{member(n)}#{k}",
                p.block_actions(
                    member(n),
                    f"Member {n}",
                    "C0ALGEMEEN",
                    ts,
                    rng.choice(poll.buttons()),
                    fake.response_url("act"),
                ),
            )  # fmt: skip
            for k in range(CLICKS_EACH)
            for n in range(MEMBERS)
        ]
        rng.shuffle(clicks)
        joins = []
        for n in range(JOINERS):
            body = p.team_join(joiner(n), f"Joiner {n}", event_id=f"EvJ{n:07d}")
            joins.append(Request.event(joiner(n), body))

        vote_chunks = {step: clicks[i :: len(VOTE_STEPS)] for i, step in enumerate(VOTE_STEPS)}
        join_chunks = {step: joins[i :: len(JOIN_STEPS)] for i, step in enumerate(JOIN_STEPS)}
        killed: list[str] = []
        for index, moment in enumerate(steps[1:], start=1):
            requests = vote_chunks.get(index, []) + join_chunks.get(index, [])
            for request in requests:
                if request.key.startswith("UJ"):
                    fake.add_user(request.key, f"Joiner {request.key}")
            victim = rng.choice(cluster.live()) if index in kills else None
            if victim is not None and not requests:
                set_time(tmp_path, moment)  # the post comes due; kill a process as the work starts
                cluster.now = moment
                if rng.random() < 0.5:  # at the first post of that moment, or before any
                    before = len(fake.calls_to("chat.postMessage"))
                    await fake.wait_for(
                        lambda: len(fake.calls_to("chat.postMessage")) > before,  # noqa: B023
                        within=30,
                        what="a post at the due moment",
                    )
                await victim.kill()
            elif victim is not None:
                cluster.now = moment
                set_time(tmp_path, moment)
                await balancer.send(
                    requests, kill_after=rng.randrange(1, len(requests)), victim=victim
                )
            else:
                set_time(tmp_path, moment)
                cluster.now = moment
                if requests:
                    await balancer.send(requests)
            if victim is not None:
                killed.append(f"{victim.name} at {moment.isoformat()} ({kills[index]})")
                await victim.start()
            await cluster.settle()
            if index == max(VOTE_STEPS):
                acked = [c for c in clicks if c.key in balancer.acked]
                await balancer.redeliver(acked[::10])  # some 200s were lost on the way
            if index == max(JOIN_STEPS):
                await balancer.redeliver(joins[::5], shift=2)
        for node in cluster.live():
            assert await node.stop() == 0
    finally:
        cluster.kill_all()

    db = Database.from_url(postgres_url)
    try:
        async with db.connect() as conn:
            occurrences = (
                await conn.execute(text("SELECT scheduled_at, status FROM calendar_occurrences"))
            ).all()
            ballots = (
                await conn.execute(
                    text(
                        "SELECT b.member_id, count(v.ballot_id) FROM poll_ballots b "
                        "LEFT JOIN poll_votes v ON v.ballot_id = b.id GROUP BY b.member_id"
                    )
                )
            ).all()
            unprocessed = (
                await conn.execute(text("SELECT count(*) FROM inbox WHERE processed_at IS NULL"))
            ).scalar_one()
    finally:
        await db.close()

    posts = fake.calls_to("chat.postMessage")
    in_channels = Counter(
        (c.get("channel"), c.text()) for c in posts if not str(c.get("channel")).startswith("D")
    )
    twice = {key: n for key, n in in_channels.items() if n > 1}
    welcomes = Counter(
        str(c.get("channel"))[1:] for c in posts
        if str(c.get("channel")).startswith("DUJ") and str(c.get("text")).startswith(WELCOME)
    )  # fmt: skip
    closes = [c for c in posts if "has closed: Which day?" in c.text()]
    posted = sorted(o.scheduled_at for o in occurrences if o.status == "posted")
    votes = {m.removeprefix("slack:"): n for m, n in ballots}
    print(
        f"chaos seed {seed}: killed {killed}; {len(steps)} moments; "
        f"{balancer.deliveries} deliveries, {len(balancer.acked)} acknowledged; "
        f"{len(posted)}/{len(post_moments)} calendar posts; {len(welcomes)} welcomed; "
        f"{len(closes)} close announcement(s); posted twice: {len(twice)}"
    )
    assert len(killed) == 3
    assert twice == {}
    assert posted == sorted(post_moments)  # every calendar post of the week, once
    assert len(closes) == 1
    assert sorted(votes) == sorted(member(n) for n in range(MEMBERS))
    assert set(votes.values()) == {1}
    assert welcomes == {joiner(n): 1 for n in range(JOINERS)}
    assert unprocessed == 0
