"""HTTP mode: Slack's request signing is enforced before anything happens."""

from __future__ import annotations

import json
import logging
import time

import pytest

from tests.adapters.slack.harness import SlackRun
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.fakes.slack import payloads as p
from tests.fakes.slack.signing import signed_headers

JSON = "application/json"


def join_body() -> bytes:
    return json.dumps(p.team_join("UGUS0007", "Gus")).encode()


async def assert_rejected(slack: SlackRun, body: bytes, headers: dict[str, str]) -> None:
    before = len(slack.fake.calls)
    response = await slack.post_raw(body, headers)
    await slack.settle()
    assert response.status == 401
    assert slack.fake.calls[before:] == [], "a rejected request must not reach the Web API"


async def test_unsigned_forged_tampered_and_stale_requests_get_401(slack_http: SlackRun) -> None:
    slack_http.fake.add_user("UGUS0007", "Gus")
    body = join_body()
    await assert_rejected(slack_http, body, {"Content-Type": JSON})  # unsigned
    forged = signed_headers("not-the-secret", body, content_type=JSON)
    await assert_rejected(slack_http, body, forged)
    signed = signed_headers(SIGNING_SECRET, body, content_type=JSON)
    await assert_rejected(slack_http, body.replace(b"Gus", b"Eve"), signed)  # tampered
    for age in (301, 3600, -400):  # older than 5 minutes, or from the future
        stamp = int(time.time()) - age
        stale = signed_headers(SIGNING_SECRET, body, timestamp=stamp, content_type=JSON)
        await assert_rejected(slack_http, body, stale)
    assert slack_http.fake.calls_to("conversations.open") == []
    # The same request, properly signed, is acted on.
    response = await slack_http.post_raw(body, signed)
    await slack_http.settle()
    assert response.status == 200 and slack_http.dms("UGUS0007")


async def test_signed_url_verification_is_answered(slack_http: SlackRun) -> None:
    body = json.dumps(p.fixture("url_verification")).encode()
    headers = signed_headers(SIGNING_SECRET, body, content_type=JSON)
    assert slack_http._http is not None
    async with slack_http._http.post(slack_http.events_url, data=body, headers=headers) as resp:
        assert resp.status == 200
        answer = await resp.json()
    assert answer == {"challenge": p.fixture("url_verification")["challenge"]}


async def test_tokens_never_logged(slack_http: SlackRun, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    slack_http.fake.add_user("UHAN0008", "Han")
    await slack_http.event(p.team_join("UHAN0008", "Han"))
    await slack_http.command("UANNA001", "help")
    assert slack_http.dms("UHAN0008")
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in logged
