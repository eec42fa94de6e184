"""`plein run --role worker` on Slack HTTP mode: the scheduled work, no events path (the load
balancer sends events to the other processes); the default role serves it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = FakeSlack()
    slack.add_channel("C0ALGEMEEN", "algemeen")
    await slack.start()
    try:
        yield slack
    finally:
        await slack.close()


async def events_path_status(fake: FakeSlack, tmp_path: Path, role: str) -> tuple[int, bool]:
    """(status of POST /slack/events on the web port, whether [slack] port is listening)."""
    web, own = free_port(), free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PLEIN_STORAGE__URL": f"sqlite:///{tmp_path / 'plein.db'}",
        "PLEIN_SLACK__BOT_TOKEN": BOT_TOKEN,
        "PLEIN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "PLEIN_SLACK__API_BASE_URL": fake.api_url,
        "PLEIN_SLACK__MODE": "http",
        "PLEIN_SLACK__PORT": str(own),
        "PLEIN_WEB__PORT": str(web),
        "PLEIN_COMMUNITY__MANAGERS": json.dumps(["UANNA001"]),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--role", role, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            for _ in range(600):  # polling another process until it is ready (up to a minute)
                try:
                    async with http.get(f"http://127.0.0.1:{web}/readyz") as ready:
                        if ready.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"plein run --role {role} did not become ready")
            async with http.post(f"http://127.0.0.1:{web}/slack/events", data=b"{}") as events:
                status = events.status
            with socket.socket() as probe:
                listening = probe.connect_ex(("127.0.0.1", own)) == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 60)
    return status, listening


async def test_a_worker_serves_no_events_path(fake: FakeSlack, tmp_path: Path) -> None:
    status, listening = await events_path_status(fake, tmp_path, "worker")
    assert status == 404 and not listening


async def test_the_default_role_serves_it(fake: FakeSlack, tmp_path: Path) -> None:
    status, listening = await events_path_status(fake, tmp_path, "all")
    assert status != 404 and not listening  # on the web port, not a server of its own
