"""Slack HTTP mode after a storage failure: every request gets 503 (and /healthz too), so Slack
keeps the event and retries later instead of receiving a 200 for work Plein could not store."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp

from tests.adapters.slack.harness import ANNA, BERT, SlackRun
from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack import payloads as p
from tests.fakes.slack.signing import signed_headers
from tests.faults.test_storage_failure import full_disk


async def test_unhealthy_plein_answers_503_and_calls_no_web_api(tmp_path: Path) -> None:
    run = await SlackRun(tmp_path, mode="http").start()
    try:
        assert run.plein is not None and run.adapter is not None
        await run.event(p.message(ANNA, "C0ALGEMEEN", "goedemorgen", "1711180000.000100"))
        await run.settle()
        health_url = run.events_url.replace("/slack/events", "/healthz")
        async with aiohttp.ClientSession() as http, http.get(health_url) as ok:
            assert ok.status == 200
        with full_disk(run.plein.db.engine.sync_engine):
            # The durable inbox stores an event before acknowledging it: with the disk full
            # that store fails, so Slack gets no 2xx (it retries later) and Plein turns unhealthy.
            failing = json.dumps(p.message(BERT, "C0ALGEMEEN", "hallo", "1711180000.000200"))
            refused = await run.post_raw(
                failing.encode(),
                signed_headers(SIGNING_SECRET, failing, content_type="application/json"),
            )
            await run.settle()
        assert refused.status >= 500, refused.status
        assert not run.plein.healthy
        before = len(run.fake.calls)
        body = json.dumps(p.message(ANNA, "C0ALGEMEEN", "nog iets", "1711180000.000300"))
        headers = signed_headers(SIGNING_SECRET, body, content_type="application/json")
        response = await run.post_raw(body.encode(), headers)
        await run.settle()
        assert response.status == 503
        assert run.fake.calls[before:] == []
        async with aiohttp.ClientSession() as http, http.get(health_url) as down:
            assert down.status == 503
    finally:
        await run.stop()
