"""An orderly stop with a large acknowledged backlog (Slack HTTP mode): the pieces already running
finish, the queued ones stay in the inbox unprocessed, the stop is done within the grace, and the
next start processes every one of them exactly once.

The platform is slow (users.info stalls on the fake for the newcomers), so the workers are all
busy and most of a burst of acknowledged messages waits. The community already talks; the stop
comes in the middle of the burst; after the restart nothing acknowledged is lost or counted twice.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from adapters.slack.work import WORKERS
from tests.adapters.slack.harness import ANNA, BERT, SlackRun
from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack import payloads as p
from tests.fakes.slack.signing import signed_headers
from tests.support import all_rows, one_row

CHANNEL = "C0ALGEMEEN"
BACKLOG = WORKERS + 136


def newcomer(n: int) -> str:
    return f"UNEW{n:05d}"


async def message_counts(url: str) -> dict[str, int]:
    query = (
        "SELECT ref, count(*) FROM contributions WHERE kind IN ('message', 'reply') GROUP BY ref"
    )
    return {ref: int(n) for ref, n in await all_rows(url, query)}


async def unprocessed(url: str) -> int:
    (count,) = await one_row(url, "SELECT count(*) FROM inbox WHERE processed_at IS NULL")
    return int(count)


async def test_a_stop_leaves_the_queued_backlog_to_the_next_start(
    tmp_path: Path, storage_url: str
) -> None:
    run = await SlackRun(tmp_path, storage_url=storage_url).start()
    assert run.adapter is not None
    await run.event(p.message(ANNA, CHANNEL, "goedemorgen", "1711180000.000100"))
    await run.event(p.message(BERT, CHANNEL, "hallo allemaal", "1711180000.000200"))
    await run.settle()

    run.fake.stalled.add("users.info")  # the newcomers' names: the platform is slow to answer
    bodies = []
    for n in range(BACKLOG):
        run.fake.add_user(newcomer(n), f"Newcomer {n}")
        ts = f"1711180100.{n:06d}"
        bodies.append(json.dumps(p.message(newcomer(n), CHANNEL, f"hoi {n}", ts)))
    statuses = []
    for body in bodies:  # one by one, as Slack sends them
        headers = signed_headers(SIGNING_SECRET, body, content_type="application/json")
        statuses.append((await run.post_raw(body.encode(), headers)).status)
    assert statuses == [200] * BACKLOG  # every one stored and acknowledged
    assert run.adapter.work.waiting == BACKLOG - WORKERS

    await run.adapter.stop()

    await asyncio.wait_for(run.adapter.work.stopped.wait(), 5)
    assert run.adapter.work.waiting == 0  # the waiting ones were left to the inbox
    run.fake.unstall()  # the running pieces can finish now
    await run.stop()  # within the grace (the harness waits 5 s for the adapter)

    counts = await message_counts(storage_url)
    assert len(counts) == 2 + WORKERS, "the running pieces finished before the stop"
    assert await unprocessed(storage_url) == BACKLOG - WORKERS

    again = SlackRun(tmp_path, storage_url=storage_url)
    for n in range(BACKLOG):
        again.fake.add_user(newcomer(n), f"Newcomer {n}")
    await again.start()
    await again.settle()
    await again.stop()

    counts = await message_counts(storage_url)
    expected = {f"{CHANNEL}/1711180000.000100", f"{CHANNEL}/1711180000.000200"}
    expected |= {f"{CHANNEL}/1711180100.{n:06d}" for n in range(BACKLOG)}
    assert set(counts) == expected, "every acknowledged message was processed"
    assert [ref for ref, count in counts.items() if count != 1] == []
    assert await unprocessed(storage_url) == 0
