"""HTTP mode: a validly signed but malformed request is the sender's fault: 400, one log line,
no traceback and no Web API call. A garbage timestamp is refused the same way."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.slack.harness import SlackRun
from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack.signing import signed_headers

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MALFORMED = [
    (b"{not json", JSON),
    (b"[1, 2, 3]", JSON),
    (b'"just a string"', JSON),
    (b"\xff\xfe\x00garbage", JSON),
    (b"payload=%7Bnot+json", FORM),
    (b"payload=%5B1%2C2%5D", FORM),
    (b"\xff\xfe=\x00", FORM),
    (b'{"type": "event_callback", "event": "x"}', JSON),
    (b'{"type": "event_callback", "event": {"type": "message", "user": 5}}', JSON),
    (b"payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%22x%22%7D", FORM),
    (b"payload=%7B%22type%22%3A%22view_submission%22%2C%22view%22%3A%22z%22%7D", FORM),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
async def test_signed_malformed_body_gets_400_without_traceback(
    slack_http: SlackRun, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.DEBUG)
    before = len(slack_http.fake.calls)
    headers = signed_headers(SIGNING_SECRET, body, content_type=content_type)
    response = await slack_http.post_raw(body, headers)
    await slack_http.settle()
    assert response.status == 400
    assert slack_http.fake.calls[before:] == []
    assert not [r for r in caplog.records if r.exc_info], "no traceback is logged"
    refused = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert len(refused) == 1, [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("stamp", ["abc", "", "1e10", "99999999999999999999999", "-"])
async def test_garbage_timestamp_is_refused_without_traceback(
    slack_http: SlackRun, caplog: pytest.LogCaptureFixture, stamp: str
) -> None:
    caplog.set_level(logging.DEBUG)
    body = b'{"type": "event_callback", "event": {}}'
    headers = signed_headers(SIGNING_SECRET, body, content_type=JSON)
    headers["X-Slack-Request-Timestamp"] = stamp
    response = await slack_http.post_raw(body, headers)
    await slack_http.settle()
    assert response.status == 400
    assert not [r for r in caplog.records if r.exc_info], "no traceback is logged"
    assert len([r for r in caplog.records if "malformed" in r.getMessage()]) == 1


async def test_unsigned_malformed_body_is_refused_like_a_forgery(slack_http: SlackRun) -> None:
    body = b"{not json"
    headers = signed_headers("not-the-secret", body, content_type=JSON)
    response = await slack_http.post_raw(body, headers)
    assert response.status == 401
