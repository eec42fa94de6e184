"""The Plein process under test (tests/faults/runner.py) and a Slack-like sender for it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes.slack import SIGNING_SECRET
from tests.fakes.slack.signing import signed_headers

ROOT = Path(__file__).resolve().parents[2]
START_WITHIN = 60.0  # a loaded CI machine; normally 2-3 s


@dataclass
class PleinProcess:
    storage_url: str
    api_url: str
    log_file: Path
    process: asyncio.subprocess.Process | None = None
    port: int = 0
    mode: str = "http"

    async def start(self) -> PleinProcess:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        log = self.log_file.open("ab")  # a file, not a pipe: a full pipe would block Plein
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.faults.runner",
            self.storage_url,
            self.api_url,
            self.mode,
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
        log.close()
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), START_WITHIN)
        assert line.startswith(b"PORT "), f"Plein did not start: {line!r}"
        self.port = int(line.split()[1])
        return self

    def replayed_at_start(self) -> int:
        """How many acknowledged requests this process took from the inbox at its start."""
        found = re.findall(
            rb"processing (\d+) acknowledged Slack requests", self.log_file.read_bytes()
        )
        return sum(int(n) for n in found)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def ensure_gone(self) -> None:
        """After a failed test: no Plein left running (SIGKILL if it still is)."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    async def wait(self, within: float = 15.0) -> int:
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), within)

    async def stop(self) -> int:
        """SIGTERM: the orderly shutdown (drains handed-off work, flushes, marks the inbox)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return await self.wait()


@dataclass(frozen=True)
class Request:
    """One delivery as Slack would make it: a JSON event or a form-encoded interaction."""

    key: str
    body: str
    content_type: str

    @classmethod
    def event(cls, key: str, body: dict[str, Any]) -> Request:
        return cls(key, json.dumps(body), "application/json")

    @classmethod
    def interaction(cls, key: str, payload: dict[str, Any]) -> Request:
        form = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return cls(key, form, "application/x-www-form-urlencoded")


@dataclass
class Sender:
    """Sends requests with bounded concurrency; records which got a 200 (acknowledged)."""

    concurrency: int = 16
    acked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    async def send_all(
        self,
        url: str,
        requests: Sequence[Request],
        *,
        retry: int = 0,
        kill_after: int | None = None,
        plein: PleinProcess | None = None,
    ) -> None:
        """Send everything; with `kill_after`, SIGKILL `plein` once that many were acked."""
        gate = asyncio.Semaphore(self.concurrency)
        killed = False
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:

            async def one(request: Request) -> None:
                nonlocal killed
                async with gate:
                    status = await post(session, url, request, retry)
                if status == 200:
                    self.acked.append(request.key)
                else:
                    self.failed.append(request.key)
                if kill_after is not None and not killed and len(self.acked) >= kill_after:
                    killed = True
                    assert plein is not None
                    plein.kill()

            await asyncio.gather(*(one(r) for r in requests))


async def post(
    session: aiohttp.ClientSession, url: str, request: Request, retry: int
) -> int | None:
    headers = signed_headers(SIGNING_SECRET, request.body, content_type=request.content_type)
    if retry:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    try:
        async with session.post(url, data=request.body.encode(), headers=headers) as response:
            await response.read()
            return response.status
    except (TimeoutError, aiohttp.ClientError):
        return None  # the process died: not acknowledged
