"""Several real Plein processes (tests/scale/runner.py) on one database and one virtual clock,
and a Slack-like sender that spreads signed requests over them as a load balancer would."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp

from tests.faults.process import ROOT, START_WITHIN, Request, post
from tests.scale.file_clock import acknowledged, set_time

SETTLE_WITHIN = 60.0  # a loaded machine with three Pleins and PostgreSQL on two cores


@dataclass
class Node:
    name: str
    database_url: str
    api_url: str
    clock_dir: Path
    process: asyncio.subprocess.Process | None = None
    port: int = 0
    starts: int = 0

    @property
    def log_file(self) -> Path:
        return self.clock_dir / f"{self.name}.log"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def start(self) -> Node:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        log = self.log_file.open("ab")  # a file, not a pipe: a full pipe would block Plein
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.scale.runner",
            self.database_url,
            self.api_url,
            str(self.clock_dir),
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
        )
        log.close()
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), START_WITHIN)
        assert line.startswith(b"PORT "), f"{self.name} did not start: {line!r}"
        self.port = int(line.split()[1])
        self.starts += 1
        return self

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        assert await asyncio.wait_for(self.process.wait(), 30) == -signal.SIGKILL

    async def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 60)


@dataclass
class Cluster:
    nodes: list[Node]
    clock_dir: Path
    now: datetime | None = None

    def kill_all(self) -> None:
        """After a failure: no process of the test outlives it."""
        for node in self.live():
            assert node.process is not None
            node.process.send_signal(signal.SIGKILL)

    def live(self) -> list[Node]:
        return [n for n in self.nodes if n.alive]

    async def advance_to(self, moment: datetime) -> None:
        """Move the shared clock; return once every live process has done what came due."""
        set_time(self.clock_dir, moment)
        self.now = moment
        await self.settle()

    async def settle(self) -> None:
        assert self.now is not None
        expected = self.now
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_WITHIN
        while True:
            behind = [
                n.name
                for n in self.live()
                if n.process is not None and acknowledged(self.clock_dir, n.process.pid) != expected
            ]
            if not behind:
                return
            assert loop.time() < deadline, f"{behind} did not finish the work due at {expected}"
            await asyncio.sleep(0.01)  # polling other processes' files, not waiting for time


@dataclass
class Balancer:
    """Sends each request to a live process in turn; a request that got no 200 is retried on
    another process (Slack retries), with the retry headers. Records what was acknowledged."""

    cluster: Cluster
    concurrency: int = 24
    acked: set[str] = field(default_factory=set)
    deliveries: int = 0

    async def send(
        self,
        requests: Sequence[Request],
        *,
        kill_after: int | None = None,
        victim: Node | None = None,
    ) -> None:
        gate = asyncio.Semaphore(self.concurrency)
        killing: asyncio.Task[None] | None = None
        acked_here = 0
        timeout = aiohttp.ClientTimeout(total=20)
        async with aiohttp.ClientSession(timeout=timeout) as session:

            async def one(n: int, request: Request) -> None:
                nonlocal killing, acked_here
                for attempt in range(6):
                    live = self.cluster.live()
                    node = live[(n + attempt) % len(live)]
                    async with gate:
                        status = await post(session, node.url, request, attempt)
                    self.deliveries += 1
                    if status == 200:
                        self.acked.add(request.key)
                        acked_here += 1
                        if kill_after is not None and killing is None and acked_here >= kill_after:
                            assert victim is not None
                            killing = asyncio.ensure_future(victim.kill())
                        return
                raise AssertionError(f"{request.key} was never acknowledged")

            await asyncio.gather(*(one(n, r) for n, r in enumerate(requests)))
            if killing is not None:
                await killing

    async def redeliver(self, requests: Sequence[Request], shift: int = 1) -> None:
        """Deliver acknowledged requests again on another process, as Slack does when a 200 got
        lost: each must be dropped (the inbox's unique event id works across processes)."""
        gate = asyncio.Semaphore(self.concurrency)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:

            async def one(n: int, request: Request) -> None:
                live = self.cluster.live()
                async with gate:
                    status = await post(session, live[(n + shift) % len(live)].url, request, 1)
                assert status == 200, f"a redelivery of {request.key} got {status}"

            await asyncio.gather(*(one(n, r) for n, r in enumerate(requests)))
