"""HTTP mode: one aiohttp endpoint for events, slash commands and interactivity.

Bolt verifies the signature (v0 HMAC of "v0:{timestamp}:{body}" with the signing secret, and a
timestamp within 5 minutes) before any listener runs; a bad request gets 401 and nothing else.

Bolt parses the body before it checks anything, so a body it cannot parse (or a timestamp that
is not a number) would end as a 500 with a traceback. Those are checked here first: a malformed
request gets 400 and one log line (401 when its signature is not valid either).

Events (a JSON `event_callback`, nearly all of Slack's traffic) take a short way past bolt: the
signature and its 5-minute timestamp window are checked here (slack_sdk's SignatureVerifier, as
bolt does) and the body goes straight to the adapter's event path (`events`), which stores it in
the inbox and answers. Bolt's middleware chain cost more CPU per request than the rest of the ack
(bench/slack_http.py); for events it added nothing Plein uses (single-team authorization,
listener matching on a catch-all, self-event filtering, which translate does). Everything else
(slash commands, interactivity, url_verification, ssl_check) still goes through bolt.

After a storage failure the host is unhealthy: every request gets 503, so Slack retries later
instead of taking a 200 for work Plein could not store.

With Plein's web port on (`[web]`), the events path is mounted on that one server (its /healthz,
/readyz and /metrics beside it); with it off, HTTP mode runs a server of its own here, with a
/healthz that answers 503 once unhealthy.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from adapters.slack.shape import shape_problem

log = logging.getLogger("plein.slack.http")

TIMESTAMP = "X-Slack-Request-Timestamp"
SIGNATURE = "X-Slack-Signature"


def signed_by(secret: str, raw: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 signature over the raw bytes (slack_sdk's verifier wants a UTF-8 body)."""
    base = b"v0:" + timestamp.encode() + b":" + raw
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return bool(secret) and hmac.compare_digest(expected.encode(), signature.encode())


def read(
    raw: bytes, timestamp: str, content_type: str | None
) -> tuple[str | None, str, dict[str, Any] | None]:
    """(why bolt could not read this request or None, the body's text, the parsed body): each
    request is decoded and parsed once, here."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return "the timestamp header is not a number", "", None
    if len(timestamp) > 12:
        return "the timestamp header is out of range", "", None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8", "", None
    try:
        body = parse_body(text, content_type)
    except ValueError:  # json.JSONDecodeError is a ValueError
        return "the body is not valid JSON", text, None
    if not isinstance(body, dict):
        return "the body is not a JSON object", text, None
    problem = shape_problem(body)
    return (f"the body is malformed: {problem}" if problem else None), text, body


Handler = Callable[[web.Request], Awaitable[web.Response]]
EventPath = Callable[[dict[str, Any], str, int], Awaitable[web.Response]]
"""The adapter's way for an event_callback body (parsed, its JSON text, X-Slack-Retry-Num): the
response."""
Mount = Callable[[str, str, Handler], None]
"""Plein's web port: mount(method, path, handler) before that server starts."""


def is_event_callback(body: dict[str, Any] | None, content_type: str | None) -> bool:
    """An Events API event_callback (JSON) takes the short way; anything else is bolt's."""
    return (
        content_type == "application/json"
        and body is not None
        and body.get("type") == "event_callback"
    )


def retry_number(request: web.Request) -> int:
    value = request.headers.get("X-Slack-Retry-Num", "0")
    return int(value) if value.isascii() and value.isdigit() else 0


def make_events_handler(
    app: AsyncApp,
    signing_secret: str,
    *,
    healthy: Callable[[], bool] = lambda: True,
    events: EventPath | None = None,
) -> Handler:
    """The POST handler for events, slash commands and interactivity, on any aiohttp server."""
    verifier = SignatureVerifier(signing_secret)

    async def handle(request: web.Request) -> web.Response:
        if not healthy():
            return web.Response(status=503, text="storage unavailable")
        raw = await request.read()
        timestamp = request.headers.get(TIMESTAMP)
        signature = request.headers.get(SIGNATURE)
        if timestamp is None or signature is None:
            return web.Response(status=401)  # unsigned: refused like any forgery
        problem, text, body = read(raw, timestamp, request.content_type)
        if problem is not None:
            if problem.startswith("the body") and not signed_by(
                signing_secret, raw, timestamp, signature
            ):
                return web.Response(status=401)
            log.warning("refused a malformed Slack request: %s", problem)
            return web.Response(status=400, text=problem)
        if (
            events is not None
            and body is not None
            and is_event_callback(body, request.content_type)
        ):
            if not signing_secret or not verifier.is_valid(text, timestamp, signature):
                return web.Response(status=401)
            return await events(body, text, retry_number(request))
        bolt_request = AsyncBoltRequest(
            body=text,
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]
        )
        try:
            bolt_response = await app.async_dispatch(bolt_request)
        except Exception as exc:  # a shape the checks above missed: still the sender's fault
            log.warning("refused a malformed Slack request: bolt failed with %r", exc)
            return web.Response(status=400)
        return await to_aiohttp_response(bolt_response)

    return handle


class EventsForwarder:
    """Slack's path on Plein's shared web port, mounted before that server starts.

    The bolt app exists only once the adapter runs, so until then (and after it stops) the path
    answers 503 and Slack delivers again later.
    """

    def __init__(self) -> None:
        self.handler: Handler | None = None

    async def forward(self, request: web.Request) -> web.Response:
        if self.handler is None:
            return web.Response(status=503, text="the Slack adapter is not running")
        return await self.handler(request)


async def start_http(
    app: AsyncApp,
    host: str,
    port: int,
    path: str,
    *,
    signing_secret: str = "",
    healthy: Callable[[], bool] = lambda: True,
    events: EventPath | None = None,
) -> tuple[web.AppRunner, int]:
    """A server of Slack's own, for HTTP mode when Plein's web port is off."""

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok") if healthy() else web.Response(status=503, text="unhealthy")

    web_app = web.Application()
    handler = make_events_handler(app, signing_secret, healthy=healthy, events=events)
    web_app.router.add_post(path, handler)
    web_app.router.add_get("/healthz", health)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    return runner, int(bound)
