"""The durable inbox on Slack HTTP mode (in process, real bolt, signed requests, fake Web API):
a retry after a restart is not counted twice, and nothing is acknowledged that was not stored."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from tests.adapters.slack.harness import BERT, SlackRun
from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack import payloads as p
from tests.fakes.slack.signing import signed_headers


async def contributions(run: SlackRun, ref: str) -> int:
    assert run.plein is not None
    async with run.plein.db.connect() as conn:
        found = await conn.execute(
            text("SELECT count(*) FROM contributions WHERE ref = :ref"), {"ref": ref}
        )
        return int(found.scalar_one())


async def test_a_slack_retry_after_a_restart_is_not_counted_twice(tmp_path: Path) -> None:
    body = p.message(BERT, "C0ALGEMEEN", "hello all", "1700000100.000100", event_id="EvRESTART1")
    first = await SlackRun(tmp_path).start()
    await first.event(body)
    assert await contributions(first, "C0ALGEMEEN/1700000100.000100") == 1
    await first.stop()

    second = await SlackRun(tmp_path).start()  # same database, a fresh process's memory
    try:
        await second.event(body, retry=1)
        await second.event(body, retry=2)
        assert await contributions(second, "C0ALGEMEEN/1700000100.000100") == 1
    finally:
        await second.stop()


async def test_no_acknowledgement_when_the_inbox_cannot_write(tmp_path: Path) -> None:
    run = await SlackRun(tmp_path).start()
    try:
        assert run.plein is not None
        async with run.plein.db.begin() as conn:  # storage broken under a running Plein
            await conn.execute(text("DROP TABLE inbox"))
        raw = json.dumps(p.message(BERT, "C0ALGEMEEN", "lost?", "1700000200.000100"))
        headers = signed_headers(SIGNING_SECRET, raw, content_type="application/json")
        response = await run.post_raw(raw.encode(), headers)
        assert response.status >= 500  # Slack retries later
        await run.settle()
        assert await contributions(run, "C0ALGEMEEN/1700000200.000100") == 0
    finally:
        await run.stop()
