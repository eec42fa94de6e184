"""Slack HTTP mode on Plein's one web port: the events path beside /healthz, /readyz, /metrics."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import aiohttp

from adapters.slack import SlackAdapter
from bot.app import build
from bot.clock import ManualClock
from bot.web_port import WebPort
from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun
from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack import payloads as p
from tests.fakes.slack.signing import signed_headers
from tests.faults.test_storage_failure import full_disk
from tests.support import EXAMPLE_START, config_from


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "")
    match = re.search(r"^" + pattern + r" ([0-9.e+-]+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


async def metric(run: SlackRun, name: str, **labels: str) -> float:
    status, text = await get(f"{run.base_url}/metrics")
    assert status == 200
    return sample(text, name, **labels)


async def test_a_signed_event_on_the_web_port_is_handled_and_counted(
    tmp_path: Path, storage_url: str
) -> None:
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http", shared_web=True).start()
    try:
        assert run.adapter is not None and run.adapter.http_port is None  # no server of its own
        assert (await get(f"{run.base_url}/readyz"))[0] == 200
        # A community with history: members already talking before the one we follow.
        for i, user in enumerate((ANNA, BERT, CAROL)):
            await run.event(p.message(user, "C0ALGEMEEN", "goedemorgen", f"1711180000.00010{i}"))
        received = await metric(run, "plein_events_received_total", kind="MessagePosted")
        handled = await metric(run, "plein_events_handled_total", kind="MessagePosted")
        assert (received, handled) == (3, 3)

        event = p.message(ANNA, "C0ALGEMEEN", "nog een vraag", "1711180000.000200")
        await run.event(event)
        await run.event(event, retry=1)  # Slack's retry: stored once, acked, dropped
        assert await metric(run, "plein_events_received_total", kind="MessagePosted") == 4
        assert await metric(run, "plein_events_handled_total", kind="MessagePosted") == 4
        status, body = await get(f"{run.base_url}/readyz")
        assert status == 200 and '"platform"' in body
        assert (await get(f"{run.base_url}/healthz"))[0] == 200
    finally:
        await run.stop()


async def test_forged_and_malformed_requests_on_the_web_port(
    tmp_path: Path, storage_url: str
) -> None:
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http", shared_web=True).start()
    try:
        body = json.dumps(p.message(ANNA, "C0ALGEMEEN", "hallo", "1711180000.000100"))
        forged = signed_headers("not-the-secret", body, content_type="application/json")
        assert (await run.post_raw(body.encode(), forged)).status == 401
        broken = b'{"type": "event_callback", "event": '
        headers = signed_headers(SIGNING_SECRET, broken, content_type="application/json")
        assert (await run.post_raw(broken, headers)).status == 400
        assert await metric(run, "plein_events_received_total", kind="MessagePosted") == 0
    finally:
        await run.stop()


async def test_storage_failure_answers_503_on_the_path_and_readyz(
    tmp_path: Path, storage_url: str
) -> None:
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http", shared_web=True).start()
    try:
        assert run.plein is not None
        with full_disk(run.plein.db.engine.sync_engine):
            failing = json.dumps(p.message(BERT, "C0ALGEMEEN", "hallo", "1711180000.000200"))
            refused = await run.post_raw(
                failing.encode(),
                signed_headers(SIGNING_SECRET, failing, content_type="application/json"),
            )
            await run.settle()
        assert refused.status >= 500, refused.status
        before = len(run.fake.calls)
        body = json.dumps(p.message(ANNA, "C0ALGEMEEN", "nog iets", "1711180000.000300"))
        headers = signed_headers(SIGNING_SECRET, body, content_type="application/json")
        assert (await run.post_raw(body.encode(), headers)).status == 503
        assert run.fake.calls[before:] == []
        status, reasons = await get(f"{run.base_url}/readyz")
        assert status == 503 and '"storage"' in reasons
        assert (await get(f"{run.base_url}/healthz"))[0] == 200  # alive, not ready
    finally:
        await run.stop()


async def test_the_path_answers_503_until_the_adapter_runs(
    tmp_path: Path, storage_url: str
) -> None:
    """The route is mounted before the server starts; the bolt app comes later, in run()."""
    env = {
        "PLEIN_SLACK__BOT_TOKEN": "xoxb-x",
        "PLEIN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "PLEIN_SLACK__MODE": "http",
        "PLEIN_WEB__ENABLED": "true",
        "PLEIN_WEB__PORT": "0",
    }
    config = config_from(db_path=tmp_path / "plein.db", storage_url=storage_url, **env)
    web = WebPort.for_config(config, "slack")
    assert web is not None
    adapter = SlackAdapter(config, mount=web.mount)
    plein = await build(config, adapter, clock=ManualClock(datetime.fromisoformat(EXAMPLE_START)))
    port = await web.start(plein)
    try:
        body = json.dumps(p.message(ANNA, "C0ALGEMEEN", "te vroeg", "1711180000.000100"))
        headers = signed_headers(SIGNING_SECRET, body, content_type="application/json")
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as r,
        ):
            assert r.status == 503
        assert await plein.inbox.pending("slack.") == []
    finally:
        await web.stop()
        await plein.close()


async def test_metrics_count_slack_acks_and_429s(tmp_path: Path, storage_url: str) -> None:
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http", shared_web=True).start()
    try:
        await run.event(p.message(ANNA, "C0ALGEMEEN", "goedemorgen", "1711180000.000100"))
        await run.command(BERT, "help")
        assert await metric(run, "plein_ack_seconds_count", platform="slack") == 2
        assert await metric(run, "plein_platform_rate_limited_total", platform="slack") == 0

        run.fake.retry_after = 0
        sent = len(run.fake.calls_to("chat.postMessage"))
        run.fake.rate_limited["chat.postMessage"] = {sent + 1}  # the welcome's first try
        run.fake.add_user("UDIRK004", "Dirk")
        await run.event(p.team_join("UDIRK004", "Dirk"))
        limited = [c for c in run.fake.calls_to("chat.postMessage") if c.result.get("error")]
        assert len(limited) == 1
        assert run.dms("UDIRK004"), "the welcome went out after the 429"
        assert await metric(run, "plein_platform_rate_limited_total", platform="slack") == 1
    finally:
        await run.stop()
