"""The real Plein app on the Discord adapter, talking to the fake Discord over loopback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from adapters.discord import DiscordAdapter
from bot.app import Plein, build
from bot.clock import ManualClock
from bot.web_port import WebPort
from tests.fakes.discord import FakeDiscord
from tests.support import EXAMPLE_START, config_from

WATCHED = ("discord", "plein")


class ErrorLog(logging.Handler):
    """Collects errors logged by discord.py's event handlers and Plein's dispatcher (they never
    reach the test otherwise); `stop()` fails the test on any."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class DiscordRun:
    fake: FakeDiscord
    db_path: Path
    config_text: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    storage_url: str | None = None
    """None: the SQLite file db_path."""
    defer_after: float = 2.0
    identify_delay: float = 0
    """Discord's identify interval (5 s); sharded runs hold a bucket this long after READY."""
    plein: Plein | None = None
    adapter: DiscordAdapter | None = None
    task: asyncio.Task[Any] | None = None
    errors: ErrorLog = field(default_factory=ErrorLog)
    shared_web: bool = False
    """Plein's web port on (as `plein run` on Discord): /readyz and /metrics over HTTP."""
    web: WebPort | None = None

    def config(self):  # noqa: ANN201
        env = {
            "PLEIN_DISCORD__TOKEN": "fake-token",
            "PLEIN_DISCORD__API_BASE_URL": self.fake.api_base_url,
            "PLEIN_DISCORD__GATEWAY_URL": self.fake.gateway_url,
            "PLEIN_DISCORD__GUILD_ID": self.fake.guild_id,
            **self.env,
        }
        return config_from(
            self.config_text, db_path=self.db_path, storage_url=self.storage_url, **env
        )

    async def start(self, start: str = EXAMPLE_START, *, wait_ready: bool = True) -> Plein:
        for name in WATCHED:
            logging.getLogger(name).addHandler(self.errors)
        if self.shared_web:
            self.env |= {"PLEIN_WEB__ENABLED": "true", "PLEIN_WEB__PORT": "0"}
        config = self.config()
        self.web = WebPort.for_config(config, "discord") if self.shared_web else None
        self.adapter = DiscordAdapter(
            config,
            guild_ready_timeout=0.05,
            defer_after=self.defer_after,
            identify_delay=self.identify_delay,
            exit_on_refusal=False,
        )
        self.plein = await build(
            config,
            self.adapter,
            clock=ManualClock(datetime.fromisoformat(start)),
            metrics=self.web.metrics if self.web is not None else None,
        )
        if self.web is not None:
            await self.web.start(self.plein)
        self.task = asyncio.create_task(self.plein.run())
        if wait_ready:
            await self.until_connected()
        return self.plein

    async def until_connected(self, within: float = 5.0) -> None:
        """Wait for the adapter to be ready, failing at once if the client task died."""
        assert self.adapter is not None and self.task is not None
        ready = asyncio.ensure_future(self.adapter.connected.wait())
        done, _ = await asyncio.wait(
            {ready, self.task}, timeout=within, return_when=asyncio.FIRST_COMPLETED
        )
        if self.task in done:
            ready.cancel()
            self.task.result()
            raise AssertionError("the client stopped before it was ready")
        if ready not in done:
            ready.cancel()
            raise TimeoutError("the Discord adapter did not become ready")

    async def wait(self, predicate: Any, within: float = 5.0) -> Any:
        """fake.wait_for, but a crashed client task fails at once with its own error."""
        assert self.task is not None
        waiter = asyncio.ensure_future(self.fake.wait_for(predicate, within))
        done, _ = await asyncio.wait({waiter, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            self.task.result()
            raise AssertionError("the client stopped")
        return waiter.result()

    async def stop(self) -> None:
        """Stop as a signal does (the scheduler, then the client) and await the task, so a
        parser error fails the test."""
        try:
            if self.plein is not None:
                await self.plein.stop()
            if self.task is not None:
                await asyncio.wait_for(self.task, 5)
        finally:
            for name in WATCHED:
                logging.getLogger(name).removeHandler(self.errors)
            if self.web is not None:
                await self.web.stop()
        messages = [r.getMessage() for r in self.errors.records]
        assert messages == [], messages

    async def get(self, path: str) -> tuple[int, str]:
        """GET on Plein's web port (`shared_web`)."""
        assert self.web is not None and self.web.server is not None
        url = f"http://127.0.0.1:{self.web.server.port}{path}"
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            return response.status, await response.text()

    async def metric(self, name: str, **labels: str) -> float:
        """One sample of /metrics, 0 when absent."""
        status, text = await self.get("/metrics")
        assert status == 200
        wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "")
        match = re.search(r"^" + pattern + r" ([0-9.e+-]+)$", text, re.M)
        return float(match.group(1)) if match else 0.0

    async def kill(self) -> None:
        """Stop underneath whatever is running (a deploy's stop mid-handler): the client closes,
        the app task is cancelled, and the errors of work cut off are not this run's to judge."""
        try:
            if self.adapter is not None:
                await self.adapter.stop()
            if self.task is not None:
                self.task.cancel()
                with contextlib.suppress(BaseException):
                    await self.task
        finally:
            for name in WATCHED:
                logging.getLogger(name).removeHandler(self.errors)

    async def drain(self) -> None:
        """Work off throttled queues (a poll's next tally edit waits its edit_interval)."""
        assert self.plein is not None
        time = self.plein.time_control
        if time is not None:
            await time.drain()
        await self.plein.flush()

    async def settle(self) -> None:
        """Let the scheduler and batched writers catch up (simulated clock)."""
        assert self.plein is not None
        time = self.plein.time_control
        if time is not None:
            await time.run_pending()
        await self.plein.flush()
