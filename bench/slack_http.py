"""Slack HTTP mode benchmark: signed requests at rising rates, against a bare signed-request server.

    python bench/slack_http.py [--rates 250,500,1000,1500,2000,3000] [--seconds 3]

Two servers run in child processes, one after the other: the real Plein with the Slack adapter
in HTTP mode (tests/faults/runner.py: real bolt, real storage on a temporary SQLite file, the
durable inbox, the bounded work queue), and, as the baseline, a bare aiohttp app that verifies
Slack's signature and answers 200 (the least any Slack app must do). The protocol fake of
Slack's Web API (tests/fakes/slack/) answers Plein's own calls from this process.

This process sends signed requests like Slack's, open loop (each at its scheduled time,
whatever the answers): message events from 1,000 members with one slash command (`/plein me`)
in ten. Per rate it prints what was acknowledged (200, and for a command not the "busy" answer),
refused (503: Slack retries; "busy" for a command), and the p50/p99 latency from the scheduled
send to the answer, and for Plein what it processed (inbox rows marked done during the rate, per
second of the rate) and the backlog (acknowledged, not yet processed) when the rate's last answer
came and again after the pause before the next rate: acked and done are both visible, and a
backlog carried into the next rate is shown. The figure is acked/s at the highest rate whose p99
stays under 100 ms (Slack allows 3 s; 100 ms leaves room for the network), for each server, and
their ratio.
The sender shares the machine: the baseline shows its ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

THIS = Path(__file__).resolve()
ROOT = THIS.parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from adapters.slack.server import signed_by  # noqa: E402
from tests.fakes.slack import SIGNING_SECRET, FakeSlack  # noqa: E402
from tests.fakes.slack import payloads as p  # noqa: E402
from tests.fakes.slack.signing import signed_headers  # noqa: E402

CHANNEL = "C0ALGEMEEN"
MEMBERS = 1000
P99_GOAL = 0.100
SLACK_DEADLINE = 3.0
"""Slack retries a request it got no answer for within 3 s (a second figure, for loaded machines)."""
START_WITHIN = 120.0
PAUSE = 1.0
"""Between two rates. What Plein acked but has not processed by then carries into the next rate
(its workers compete with the next acks): the output says how much."""


def member(n: int) -> str:
    return f"UB{n:07d}"


# ---- the baseline server ------------------------------------------------------------------------


async def bare_server() -> None:
    """Verify the signature, answer 200: nothing stored, nothing processed."""

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not signed_by(SIGNING_SECRET, raw, stamp, signature):
            return web.Response(status=401)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/slack/events", events)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"PORT {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


# ---- the sender ---------------------------------------------------------------------------------


@dataclass
class Step:
    rate: int
    sent: int = 0
    acked: int = 0
    refused: int = 0
    failed: int = 0
    latencies: list[float] = field(default_factory=list)
    """Of the acknowledged requests, seconds from the scheduled send to the answer."""
    took: float = 0.0
    """Seconds from the first scheduled send to the last answer."""
    done: int | None = None
    """Plein only: inbox rows processed during the step (read from its database)."""
    backlog: int | None = None
    """Plein only: acknowledged rows not processed yet when the last answer came."""
    backlog_after_pause: int | None = None
    """... and after the pause before the next rate (what carries over into it)."""

    def p(self, q: float) -> float:
        if not self.latencies:
            return float("inf")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def seconds(self) -> float:
        return self.sent / self.rate

    @property
    def acked_per_s(self) -> float:
        return self.acked / self.seconds if self.sent else 0.0

    def line(self) -> str:
        text = (
            f"{self.rate:>6}/s offered: acked {self.acked:>6} ({self.acked_per_s:7.0f}/s), "
            f"refused {self.refused:>5}, failed {self.failed:>4}, "
            f"p50 {self.p(0.50) * 1000:7.1f} ms, p99 {self.p(0.99) * 1000:7.1f} ms"
        )
        if self.done is not None and self.took:
            text += (
                f", done {self.done:>6} ({self.done / self.took:5.0f}/s), backlog {self.backlog}"
            )
        return text


class Requests:
    """Unique Slack-like requests: message events, one `/plein me` in ten."""

    def __init__(self, hook: str) -> None:
        self.n = 0
        self.hook = hook

    def next(self) -> tuple[bytes, str, bool]:
        self.n += 1
        n = self.n
        who = member(n * 7919 % MEMBERS)
        if n % 10 == 0:
            body = p.slash_command(who, f"Member {who}", CHANNEL, "algemeen", "me", self.hook)
            return urllib.parse.urlencode(body).encode(), "application/x-www-form-urlencoded", True
        ts = f"{1800000000 + n // 1_000_000}.{n % 1_000_000:06d}"
        event = p.message(who, CHANNEL, f"bericht {n}", ts, event_id=f"EvH{n:09d}")
        return json.dumps(event).encode(), "application/json", False


async def send_step(
    session: aiohttp.ClientSession, url: str, rate: int, seconds: float, requests: Requests
) -> Step:
    step = Step(rate)
    loop = asyncio.get_running_loop()
    total = max(1, int(rate * seconds))
    began = loop.time() + 0.05
    pending: set[asyncio.Task[None]] = set()

    async def one(due: float, body: bytes, content_type: str, command: bool) -> None:
        headers = signed_headers(SIGNING_SECRET, body, content_type=content_type)
        try:
            async with session.post(url, data=body, headers=headers) as response:
                text = await response.text()
                status = response.status
        except (TimeoutError, aiohttp.ClientError):
            step.failed += 1
            return
        if status == 200 and not (command and "busy" in text):
            step.acked += 1
            step.latencies.append(loop.time() - due)
        elif status in (200, 503):
            step.refused += 1
        else:
            step.failed += 1

    for i in range(total):
        due = began + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        body, content_type, command = requests.next()
        task = asyncio.create_task(one(due, body, content_type, command))
        pending.add(task)
        task.add_done_callback(pending.discard)
        step.sent += 1
    if pending:
        await asyncio.wait(pending)
    step.took = loop.time() - began
    return step


class InboxCounts:
    """Plein's inbox as the bench sees it: (processed, unprocessed) rows, read from the SQLite
    file beside the running process (WAL: a reader never blocks Plein's writers)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> tuple[int, int]:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10) as db:
            done, left = db.execute(
                "SELECT count(processed_at), count(*) - count(processed_at) FROM inbox "
                "WHERE kind LIKE 'slack.%'"
            ).fetchone()
        return int(done), int(left)


async def start_child(args: list[str], log_file: Path) -> tuple[asyncio.subprocess.Process, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log_file.open("ab") as log:  # a file, not a pipe: a full pipe would block the child
        child = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=log
        )
    assert child.stdout is not None
    line = b"-"
    while line and not line.startswith(b"PORT "):  # a profiling wrapper may print first
        line = await asyncio.wait_for(child.stdout.readline(), START_WITHIN)
    if not line.startswith(b"PORT "):
        raise RuntimeError(f"the server did not start: {line!r}; see {log_file}")
    return child, int(line.split()[1])


async def measure(
    name: str,
    child_args: list[str],
    rates: list[int],
    seconds: float,
    tmp: Path,
    hook: str,
    inbox: InboxCounts | None = None,
) -> list[Step]:
    child, port = await start_child(child_args, tmp / f"{name}.log")
    url = f"http://127.0.0.1:{port}/slack/events"
    steps: list[Step] = []
    requests = Requests(hook)
    connector = aiohttp.TCPConnector(limit=200)
    timeout = aiohttp.ClientTimeout(total=10)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            await send_step(session, url, 20, 0.5, requests)  # warm-up: connections, caches
            for rate in rates:
                before = inbox.read()[0] if inbox else 0
                step = await send_step(session, url, rate, seconds, requests)
                if inbox:
                    done, step.backlog = inbox.read()
                    step.done = done - before
                print(f"  {name:>5} {step.line()}", flush=True)
                steps.append(step)
                await asyncio.sleep(PAUSE)  # the backlog may drain before the next rate
                if inbox:
                    step.backlog_after_pause = inbox.read()[1]
                    print(f"        after {PAUSE:g} s: backlog {step.backlog_after_pause}")
    finally:
        child.terminate()
        await asyncio.wait_for(child.wait(), 60)
    return steps


def best(steps: list[Step], goal: float) -> Step | None:
    within = [s for s in steps if s.p(0.99) < goal and s.acked]
    return max(within, key=lambda s: s.acked_per_s) if within else None


async def run(rates: list[int], seconds: float) -> None:
    fake = FakeSlack()
    fake.add_channel(CHANNEL, "algemeen")
    fake.add_user("UANNA001", "Anna")
    for n in range(MEMBERS):
        fake.add_user(member(n), f"Member {n}")
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            hook = fake.response_url()
            print(f"rates {rates} for {seconds:g} s each; acked/s where p99 < 100 ms")
            bare = await measure("bare", [str(THIS), "--bare-server"], rates, seconds, tmp, hook)
            runner = os.environ.get("PLEIN_BENCH_RUNNER")  # a profiling wrapper, say
            target = [runner] if runner else ["-m", "tests.faults.runner"]
            plein_args = [*target, f"sqlite:///{tmp / 'plein.db'}", fake.api_url]
            counts = InboxCounts(tmp / "plein.db")
            plein = await measure("plein", plein_args, rates, seconds, tmp, hook, counts)
    finally:
        await fake.close()
    calls = Counter(c.method for c in fake.calls)
    print(
        "Plein's calls to the Slack Web API:", ", ".join(f"{m} {n}" for m, n in calls.most_common())
    )
    for goal, why in ((P99_GOAL, "the goal"), (SLACK_DEADLINE, "Slack's own 3 s deadline")):
        top_bare, top_plein = best(bare, goal), best(plein, goal)
        print(f"acked/s at p99 < {goal * 1000:.0f} ms ({why}):")
        for name, top in (("bare", top_bare), ("plein", top_plein)):
            figure = f"{top.acked_per_s:.0f} acked/s at {top.rate}/s offered" if top else "none"
            print(f"  {name:>5}: {figure}")
        if top_bare and top_plein:
            print(f"  ratio plein/bare: {top_plein.acked_per_s / top_bare.acked_per_s:.2f}")
    refused = sum(s.refused for s in plein)
    print(f"plein refused {refused} requests (not acknowledged: Slack retries events)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="250,500,1000,1500,2000,3000")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--bare-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_server:
        asyncio.run(bare_server())
        return 0
    began = time.perf_counter()
    asyncio.run(run([int(r) for r in args.rates.split(",")], args.seconds))
    print(f"(took {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
