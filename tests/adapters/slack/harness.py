"""Run the real Plein app with the Slack adapter against the fake Slack, in either mode.

Requests reach the real bolt AsyncApp the way Slack sends them: signed HTTP POSTs (HTTP mode)
or envelopes over the Socket Mode websocket. Nothing sleeps: after each request the harness
waits for the adapter's handed-off work (`adapter.idle()`).
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from adapters.slack import SlackAdapter
from bot.app import Plein, build
from bot.clock import ManualClock
from bot.web_port import WebPort
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, Call, FakeSlack
from tests.fakes.slack import payloads as p
from tests.fakes.slack.signing import signed_headers
from tests.support import EXAMPLE_START, config_from

CHANNELS = {
    "C0ALGEMEEN": "algemeen",
    "C0WELKOM": "welkom",
    "C0BESTUUR": "bestuur",
    "C0DOEMEE": "doe-mee",
}
ANNA, BERT, CAROL = "UANNA001", "UBERT002", "UCAROL03"
NAMES = {ANNA: "Anna", BERT: "Bert", CAROL: "Carol"}


CONNECT_WITHIN = 60.0
"""How long start-up may take before the test fails: normally well under a second, but a loaded
2-core CI machine running the PostgreSQL half too took over 5 s (tests/faults/process.py waits
60 s for the same reason). A start-up error still fails at once."""


@dataclass
class SlackRun:
    tmp_path: Path
    mode: str = "http"
    config_text: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    storage_url: str | None = None
    """None: the SQLite file plein.db in tmp_path."""
    fake: FakeSlack = field(default_factory=FakeSlack)
    plein: Plein | None = None
    adapter: SlackAdapter | None = None
    _task: asyncio.Task[None] | None = None
    _http: aiohttp.ClientSession | None = None
    shared_web: bool = False
    """HTTP mode on Plein's one web port (as `plein run` with `[web]` on), not a server of its own."""
    web: WebPort | None = None

    async def start(self, start: str = EXAMPLE_START, *, wait_connected: bool = True) -> SlackRun:
        for cid, name in CHANNELS.items():
            self.fake.add_channel(cid, name)
        for uid, name in NAMES.items():
            self.fake.add_user(uid, name)
        await self.fake.start()
        env = {
            "PLEIN_SLACK__BOT_TOKEN": BOT_TOKEN,
            "PLEIN_SLACK__APP_TOKEN": APP_TOKEN,
            "PLEIN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
            "PLEIN_SLACK__API_BASE_URL": self.fake.api_url,
            "PLEIN_SLACK__MODE": self.mode,
            "PLEIN_SLACK__HOST": "127.0.0.1",
            "PLEIN_SLACK__PORT": "0",
            "PLEIN_COMMUNITY__MANAGERS": json.dumps([ANNA]),
            "PLEIN_COMMUNITY__LANGUAGE": "en",
            **self.env,
        }
        if self.shared_web:
            env |= {"PLEIN_WEB__ENABLED": "true", "PLEIN_WEB__PORT": "0"}
        config = config_from(
            self.config_text,
            db_path=self.tmp_path / "plein.db",
            storage_url=self.storage_url,
            **env,
        )
        self.web = WebPort.for_config(config, "slack") if self.shared_web else None
        mount = self.web.mount if self.web is not None else None
        self.adapter = SlackAdapter(config, ping_interval=30, mount=mount)
        self.plein = await build(
            config,
            self.adapter,
            clock=ManualClock(datetime.fromisoformat(start)),
            metrics=self.web.metrics if self.web is not None else None,
        )
        if self.web is not None:
            await self.web.start(self.plein)
        self._task = asyncio.create_task(self.plein.run())
        self._http = aiohttp.ClientSession()
        if wait_connected:
            await self.until_connected()
        return self

    async def until_connected(self) -> None:
        """Connected and ready: the start-up member sync is done."""
        assert self.adapter is not None and self._task is not None
        waiter = asyncio.create_task(self.adapter.connected.wait())
        done, _ = await asyncio.wait(
            {waiter, self._task}, timeout=CONNECT_WITHIN, return_when="FIRST_COMPLETED"
        )
        if self._task in done:
            waiter.cancel()
            await self._task  # raises the start-up error
        assert waiter in done, "the Slack adapter did not connect"
        if self.mode == "socket":
            await self.fake.wait_connected()

    async def stop(self) -> None:
        assert self.plein is not None and self._task is not None
        await self.plein.stop()
        await asyncio.wait_for(self._task, 5)
        if self._http is not None:
            await self._http.close()
        if self.web is not None:
            await self.web.stop()
        await self.fake.close()
        assert not self.adapter.errors, self.adapter.errors

    # ---- sending like Slack -----------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The server Slack posts to: Plein's web port, or the adapter's own."""
        assert self.adapter is not None
        if self.web is not None:
            assert self.web.server is not None
            return f"http://127.0.0.1:{self.web.server.port}"
        return f"http://127.0.0.1:{self.adapter.http_port}"

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/slack/events"

    async def post_raw(self, body: bytes, headers: dict[str, str]) -> aiohttp.ClientResponse:
        assert self._http is not None
        async with self._http.post(self.events_url, data=body, headers=headers) as response:
            await response.read()
            return response

    async def _http_send(
        self, body: str, content_type: str, retry: int | None = None
    ) -> aiohttp.ClientResponse:
        headers = signed_headers(SIGNING_SECRET, body, content_type=content_type)
        if retry:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        response = await self.post_raw(body.encode(), headers)
        assert response.status == 200, response.status
        return response

    async def event(self, body: dict[str, Any], *, retry: int = 0) -> None:
        if self.mode == "http":
            await self._http_send(json.dumps(body), "application/json", retry)
        else:
            await self.fake.send_envelope("events_api", body, retry_attempt=retry)
        await self.settle()

    async def interactive(self, payload: dict[str, Any]) -> None:
        if self.mode == "http":
            form = urllib.parse.urlencode({"payload": json.dumps(payload)})
            await self._http_send(form, "application/x-www-form-urlencoded")
        else:
            await self.fake.send_envelope("interactive", payload)
        await self.settle()

    async def command(self, user: str, text: str, channel: str = "C0ALGEMEEN") -> str:
        """`/plein <text>`; returns the response_url the answers go to."""
        hook = self.fake.response_url()
        body = p.slash_command(
            user, NAMES[user], channel, CHANNELS.get(channel, "directmessage"), text, hook
        )
        if self.mode == "http":
            form = urllib.parse.urlencode(body)
            await self._http_send(form, "application/x-www-form-urlencoded")
        else:
            await self.fake.send_envelope("slash_commands", body)
        await self.settle()
        return hook.rsplit("/", 1)[-1]

    async def click(self, user: str, message: Call, choice: str) -> None:
        await self.click_as(user, NAMES[user], message, choice)

    async def click_as(
        self, user: str, name: str, message: Call, choice: str, *, trigger_valid: bool = True
    ) -> None:
        """Press the button whose value (the core's Choice.id) or label is `choice`."""
        buttons = message.buttons()
        button = next((b for b in buttons if choice in (b["value"], b["text"]["text"])), None)
        assert button is not None, f"no button {choice!r} in {[b['value'] for b in buttons]}"
        channel = message["channel"]
        ts = self.ts_of(message)
        await self.interactive(
            p.block_actions(
                user,
                name,
                channel,
                ts,
                button,
                self.fake.response_url("act"),
                trigger_valid=trigger_valid,
            )
        )

    async def submit(self, user: str, view_call: Call, answers: dict[str, str]) -> None:
        await self.submit_as(user, NAMES[user], view_call, answers)

    async def submit_as(
        self, user: str, name: str, view_call: Call, answers: dict[str, str]
    ) -> None:
        """Submit the modal Plein opened with views.open (answers by block_id)."""
        await self.interactive(p.view_submission(user, name, view_call["view"], answers))

    async def settle(self) -> None:
        assert self.adapter is not None and self.plein is not None
        await asyncio.wait_for(self.adapter.idle(), 5)
        time = self.plein.time_control
        if time is not None:
            await time.run_pending()  # due deadlines, as the console does after each line
        await self.plein.flush()
        await asyncio.wait_for(self.adapter.idle(), 5)

    async def advance(self, **delta: float) -> None:
        """Move the simulated clock; scheduled jobs fire on the way."""
        from datetime import timedelta

        assert self.plein is not None
        time = self.plein.time_control
        assert time is not None, "the harness runs on a ManualClock"
        await time.advance_to(self.plein.clock.now() + timedelta(**delta))
        await self.settle()

    # ---- reading what Plein did ---------------------------------------------------------------

    def ts_of(self, message: Call) -> str:
        """The ts the fake gave a chat.postMessage call."""
        return str(message.result["ts"])

    def posts(self, channel: str | None = None) -> list[Call]:
        return [
            c
            for c in self.fake.calls_to("chat.postMessage")
            if channel is None or c["channel"] == channel
        ]

    def dms(self, user: str) -> list[Call]:
        return self.posts("D" + user)

    def answers(self, hook: str) -> list[str]:
        return [c["text"] for c in self.fake.calls_to("response_url", hook=hook)]
