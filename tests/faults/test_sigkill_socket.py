"""SIGKILL during a message burst in Socket Mode; restart; nothing acknowledged is lost, nothing
is counted twice.

The real Plein runs in a subprocess (tests/faults/runner.py, Socket Mode) connected to the fake
Slack's websocket here. A burst of message envelopes is pushed at once; after a random number of
envelope acks (the seed is printed; PLEIN_FAULT_SEED replays one) the process is SIGKILLed.
Then Slack's Socket Mode behaviour is replayed: every envelope Slack got no ack for is delivered
again (`retry_attempt` 1) on the new connection after the restart, and every acknowledged one is
delivered once more as well (as if its ack had been lost; `retry_attempt` 2): those must be
acked and dropped. An orderly stop, and the database is read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.slack import FakeSlack
from tests.fakes.slack import payloads as p
from tests.faults.process import PleinProcess
from tests.faults.test_sigkill import (
    CHANNEL,
    CHANNELS,
    MANAGER,
    message_counts,
    seeded,
    unprocessed_count,
)

MESSAGES = 600
AUTHORS = 40


def author(n: int) -> str:
    return f"US{n:07d}"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    for cid, name in CHANNELS.items():
        slack.add_channel(cid, name)
    slack.add_user(MANAGER, "Anna")
    for n in range(AUTHORS):
        slack.add_user(author(n), f"Author {n}")
    await slack.start()
    try:
        yield slack
    finally:
        await slack.close()


async def deliver(fake: FakeSlack, bodies: dict[str, dict[str, object]], retry: int) -> set[str]:
    """Push every body as an events_api envelope; returns the refs whose envelope was acked."""
    envelopes = {
        await fake.push_envelope("events_api", dict(body), retry_attempt=retry): ref
        for ref, body in bodies.items()
    }
    await fake.wait_for(
        lambda: all(e in fake.acks for e in envelopes), within=60, what="every envelope acked"
    )
    return {envelopes[e] for e in envelopes}


async def test_socket_mode_burst_killed_at_a_random_point(
    fake: FakeSlack, tmp_path: Path, storage_url: str
) -> None:
    log_file = tmp_path / "plein.log"
    plein = await PleinProcess(storage_url, fake.api_url, log_file, mode="socket").start()
    restarted = PleinProcess(storage_url, fake.api_url, log_file, mode="socket")
    try:
        await burst_kill_restart(fake, plein, restarted)
    finally:
        await plein.ensure_gone()
        await restarted.ensure_gone()


async def burst_kill_restart(fake: FakeSlack, plein: PleinProcess, restarted: PleinProcess) -> None:
    rng = seeded()
    storage_url = plein.storage_url
    await fake.wait_connected()
    bodies: dict[str, dict[str, object]] = {}
    for i in range(MESSAGES):
        ts = f"1800000000.{i:06d}"
        body = p.message(author(i % AUTHORS), CHANNEL, f"bericht {i}", ts, event_id=f"EvS{i:07d}")
        bodies[f"{CHANNEL}/{ts}"] = body

    envelopes: dict[str, str] = {}
    for ref, body in bodies.items():
        envelopes[await fake.push_envelope("events_api", dict(body))] = ref
    kill_after = rng.randrange(MESSAGES // 5, MESSAGES * 4 // 5)
    await fake.wait_for(
        lambda: sum(e in fake.acks for e in envelopes) >= kill_after, within=60, what="acks"
    )
    plein.kill()
    assert await plein.wait() == -9, "Plein was not killed by the signal"
    acked = {ref for e, ref in envelopes.items() if e in fake.acks}
    assert acked, "nothing was acknowledged before the kill"

    await restarted.start()
    await fake.wait_connected()
    unacked = {ref: body for ref, body in bodies.items() if ref not in acked}
    assert await deliver(fake, unacked, retry=1) == set(unacked)
    assert await deliver(fake, {r: bodies[r] for r in acked}, retry=2) == acked
    assert await restarted.stop() == 0

    counts = await message_counts(storage_url)
    lost = [ref for ref in acked if ref not in counts]
    duplicated = [ref for ref, count in counts.items() if count > 1]
    unprocessed = await unprocessed_count(storage_url)
    print(
        f"socket mode burst: sent {MESSAGES}, acknowledged before the kill {len(acked)}, "
        f"acknowledged and stored {len(acked) - len(lost)}, lost {len(lost)}, "
        f"duplicated {len(duplicated)}, inbox rows replayed at restart "
        f"{restarted.replayed_at_start()}, redelivered after the restart {len(unacked)}"
    )
    # Bolt's authorization got Plein's auth.test answer: one call per start, not one per envelope.
    assert len(fake.calls_to("auth.test")) == 2
    assert lost == []
    assert duplicated == []  # neither Slack's redeliveries nor the inbox's replays count twice
    assert len(counts) == MESSAGES
    assert unprocessed == (0,)
