"""Discord ingest benchmark: one fake gateway stream into Plein and into a plain discord.py client.

    python bench/discord_ingest.py [--sizes 20000/1000,100000/5000] [--posts first,later]
    python bench/discord_ingest.py --interactions [--pace 5000] [--sizes 20000/1000]

The protocol fake of Discord from tests/fakes/discord/ (REST + gateway) runs in this process and
streams N MESSAGE_CREATE frames from M members (authors follow a power law) to a bot in a child
process (bench/discord_sides.py): the real Discord adapter on real discord.py with real storage on
a temporary SQLite file, and, as the baseline measured in the same run, a plain discord.py client
that does nothing. A stream is done when every contribution is persisted (Plein: rows in
`contributions`; plain: messages received). Printed per side: events/s, CPU s per 1,000 events,
peak RSS of the bot's process, lost events, and Plein's ratio to the plain client.
"first" posts are every member's first of the day (a fresh community); "later" posts follow a
warm-up in which every member posted once.

With --interactions, members also use `/me`, `/kudos` and click a poll button every 20 ms while the
stream runs (at full speed, or paced with --pace events/s); the latency is measured from the
INTERACTION_CREATE frame sent by the fake to the interaction callback the fake receives. The
baseline is the same Plein in the second before the stream starts (no backlog); the plain client
gets no interactions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiohttp import web  # noqa: E402

from tests.fakes.discord import FakeDiscord  # noqa: E402
from tests.fakes.discord import payloads as p  # noqa: E402

SIDES = Path(__file__).resolve().parent / "discord_sides.py"
PROBE_EVERY = 0.02
TEXTS = [
    "Mooie vogels gezien vanochtend bij de plas!",
    "Wie gaat er zaterdag mee naar de excursie?",
    "Dank je wel voor de foto's",
    "ok",
    "Ik neem koffie mee voor iedereen, tot morgen bij de ingang van het park.",
]


class BenchDiscord(FakeDiscord):
    """The fake Discord, noting when each interaction callback arrives."""

    def __init__(self) -> None:
        super().__init__(content_intent_enabled=True)
        self.callback_at: dict[str, float] = {}

    async def _callback(self, request: web.Request) -> web.Response:
        self.callback_at.setdefault(request.match_info["id"], time.perf_counter())
        return await super()._callback(request)


@dataclass
class Side:
    name: str
    rate: float = 0.0
    cpu_per_1000: float = 0.0
    max_rss_mib: float = 0.0
    lost: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    quiet_ms: list[float] = field(default_factory=list)
    unanswered: int = 0
    stages: list[str] = field(default_factory=list)


def message_frames(fake: FakeDiscord, users: list[str], authors: list[int]) -> Iterator[str]:
    template = p.fixture("message_create.guild.json")["d"]
    template.pop("referenced_message", None)
    channel_id = fake.channel_id("algemeen")
    shapes = {}
    for user_id in users:
        member = fake.members[user_id]
        shapes[user_id] = (member["user"], {k: v for k, v in member.items() if k != "user"})
    for n, k in enumerate(authors):
        user, member = shapes[users[k]]
        data = {
            **template,
            "id": fake.new_id(),
            "channel_id": channel_id,
            "guild_id": fake.guild_id,
            "author": user,
            "member": member,
            "content": TEXTS[n % len(TEXTS)],
            "timestamp": p.TIMESTAMP,
            "components": [],
            "attachments": [],
            "embeds": [],
            "mentions": [],
        }
        fake._seq += 1
        yield json.dumps({"op": 0, "t": "MESSAGE_CREATE", "s": fake._seq, "d": data})


async def blast(fake: FakeDiscord, frames: Iterator[str], pace: float | None) -> None:
    ws = fake._ws
    assert ws is not None
    began = time.perf_counter()
    for n, frame in enumerate(frames):
        await ws.send_str(frame)
        if pace is not None:
            ahead = began + n / pace - time.perf_counter()
            if ahead > 0.002:
                await asyncio.sleep(ahead)
        elif n % 64 == 63:
            await asyncio.sleep(0)  # let the fake's REST side (callbacks) run too


class Child:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def line(self, within: float = 120.0) -> dict[str, Any]:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), within)
        if not raw:
            raise RuntimeError(f"the bot process ended (exit {await self.process.wait()})")
        return dict(json.loads(raw))


async def open_poll(fake: FakeDiscord, user_id: str) -> tuple[str, str]:
    asked = await fake.slash(
        user_id, "/poll new", question="Welke dag?", option1="Zaterdag", option2="Zondag"
    )
    await fake.wait_for(lambda: fake.response_to(asked), 10)
    channel = fake.channel_id("algemeen")
    poll = await fake.wait_for(
        lambda: next(
            (
                m
                for m in fake.messages.values()
                if m["channel_id"] == channel and m["components"] and "Welke dag?" in m["content"]
            ),
            None,
        ),
        10,
    )
    return poll["id"], fake.buttons(poll["id"])[0]["custom_id"]


async def probe(
    fake: BenchDiscord, side: str, users: list[str], sent: dict[str, float], stop: asyncio.Event
) -> None:
    """Interactions every PROBE_EVERY seconds: /me, /kudos, a poll click in turn."""
    poll = await open_poll(fake, users[0])
    rng = random.Random(7)
    n = 0
    while not stop.is_set():
        who = users[rng.randrange(min(50, len(users)))]
        began = time.perf_counter()
        if n % 3 == 0:
            ident = await fake.slash(who, "/me")
        elif n % 3 == 1:
            other = fake.members[users[rng.randrange(len(users))]]["user"]
            ident = await fake.slash(who, "/kudos", member=other, reason="dank voor de hulp")
        else:
            assert poll is not None
            ident = await fake.click(who, poll[0], poll[1])
        sent[ident] = began
        n += 1
        await asyncio.sleep(PROBE_EVERY)


async def run_side(
    side: str,
    events: int,
    members: int,
    later: bool,
    interactions: bool,
    pace: float | None,
    stages: bool = False,
) -> Side:
    interactions = interactions and side == "plein"
    fake = BenchDiscord()
    users = [fake.add_member(f"Lid{k}")["id"] for k in range(members)]
    await fake.start()
    warm = members if later else 0
    targets = [warm, warm + events] if warm else [events]
    stage_file = Path(tempfile.mkdtemp()) / "stages.json" if stages and interactions else None
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SIDES),
        side,
        "--api",
        fake.api_base_url,
        "--gateway",
        fake.gateway_url,
        "--guild",
        fake.guild_id,
        "--targets",
        ",".join(map(str, targets)),
        *(["--stages", str(stage_file)] if stage_file else []),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    child = Child(process)
    result = Side(side)
    try:
        start = await child.line()
        assert start.get("ready"), start
        if warm:
            await blast(fake, message_frames(fake, users, list(range(members))), None)
            start = await child.line()
            assert start.get("reached") == warm, start
        rng = random.Random(42)
        weights = [1 / (k + 1) for k in range(members)]
        authors = rng.choices(range(members), weights=weights, k=events)
        sent: dict[str, float] = {}
        stop = asyncio.Event()
        prober = asyncio.create_task(probe(fake, side, users, sent, stop)) if interactions else None
        if prober is not None:
            await asyncio.sleep(1.5)  # the poll exists, then a quiet second: the baseline
        began = time.perf_counter()
        await blast(fake, message_frames(fake, users, authors), pace)
        done = await child.line(within=600)
        stop.set()
        if prober is not None:
            await prober
            await asyncio.sleep(1.0)  # the last callbacks
        final = done if "final" in done else await child.line()  # a stall reports final only
        if "reached" in done:
            result.rate = events / (done["at"] - began)
            result.cpu_per_1000 = (done["cpu"] - start["cpu"]) / events * 1000
        result.lost = warm + events - int(final["final"])
        result.max_rss_mib = float(final["max_rss_mib"])
        for ident, at in sent.items():
            answered = fake.callback_at.get(ident)
            if answered is None:
                result.unanswered += 1
            else:
                samples = result.latencies_ms if at >= began else result.quiet_ms
                samples.append((answered - at) * 1000)
        assert process.stdin is not None
        process.stdin.write(b"stop\n")
        await process.stdin.drain()
        await asyncio.wait_for(process.wait(), 60)
        if stage_file is not None:
            result.stages = stage_lines(stage_file, sent, fake.callback_at, began)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.close()
    return result


def stage_lines(
    path: Path, sent: dict[str, float], answered: dict[str, float], began: float
) -> list[str]:
    """Median and p99 of each stage of the interactions sent during the stream."""
    found = json.loads(path.read_text(encoding="utf-8"))
    path.unlink()
    path.parent.rmdir()
    gaps: dict[str, list[float]] = {}

    def note(name: str, seconds: float) -> None:
        gaps.setdefault(name, []).append(seconds * 1000)

    for ident, at in sent.items():
        record = found["interactions"].get(ident)
        if at < began or record is None or ident not in answered or "handler" not in record:
            continue
        note("frame sent -> parsed (gateway socket)", record["parsed"] - at)
        note("parsed -> on_interaction", record["client"] - record["parsed"])
        note("on_interaction -> handler", record["handler"] - record["client"])
        note("handler -> callback received", answered[ident] - record["handler"])
        note("write turns waited (sum)", sum(record["waits"]))
        note("write turns held (sum)", sum(record["holds"]))
        note("write turns taken (count, not ms)", len(record["waits"]) / 1000)
        note(
            "writers queued ahead at its first turn (count, not ms)",
            (record.get("ahead") or [0])[0] / 1000,
        )
        note(f"{record.get('kind')}: frame sent -> callback", answered[ident] - at)
        note(f"{record.get('kind')}: write turns waited", sum(record["waits"]))
        note(f"{record.get('kind')}: handler -> callback", answered[ident] - record["handler"])
        note(f"{record.get('kind')}: write turns (count, not ms)", len(record["waits"]) / 1000)
    note_all = [took for took, _ in found["other_holds"]]
    by_caller: dict[str, list[float]] = {}
    for took, caller in found["other_holds"]:
        by_caller.setdefault(caller, []).append(took * 1000)
    lag = [seconds * 1000 for seconds in found["loop_lag"]]
    if lag:
        gaps["event loop lag (a 10 ms timer, whole run)"] = lag
    lines = [
        f"         {name}: median {statistics.median(values):7.1f}, p99 {p99(values):7.1f}"
        for name, values in gaps.items()
    ]
    if note_all:
        holds = [h * 1000 for h in note_all]
        lines.append(
            f"         other write turns ({len(holds)}): median {statistics.median(holds):.1f} ms, "
            f"p99 {p99(holds):.1f} ms, max {max(holds):.1f} ms"
        )
        for caller, took in sorted(by_caller.items(), key=lambda item: -sum(item[1])):
            lines.append(
                f"           {caller}: {len(took)} turns, {sum(took):.0f} ms in all, "
                f"max {max(took):.1f} ms"
            )
    return lines


def p99(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def show(label: str, plain: Side, plein: Side, interactions: bool) -> None:
    ratio = plein.rate / plain.rate if plain.rate else float("nan")
    print(f"{label}")
    for s in (plain, plein):
        line = (
            f"  {s.name:>5}: {s.rate:8,.0f} events/s  {s.cpu_per_1000:6.3f} CPU s/1,000  "
            f"peak RSS {s.max_rss_mib:5.0f} MiB  lost {s.lost}"
        )
        print(line)
        if interactions and s.name == "plein":
            for what, samples in (("during the stream", s.latencies_ms), ("quiet", s.quiet_ms)):
                middle = statistics.median(samples) if samples else float("nan")
                print(
                    f"         interactions {what}: p99 {p99(samples):6.1f} ms, "
                    f"median {middle:6.1f} ms ({len(samples)} acknowledged)"
                )
            print(f"         interactions never acknowledged: {s.unanswered}")
            if s.stages:
                print("         stages during the stream (ms):")
                for line in s.stages:
                    print(line)
    print(f"  ratio plein/plain: {ratio:.2f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000/1000,100000/5000", help="events/members,...")
    parser.add_argument("--posts", default="first,later", help="first, later or both")
    parser.add_argument("--interactions", action="store_true")
    parser.add_argument("--pace", type=float, default=None, help="events/s (default: full speed)")
    parser.add_argument(
        "--stages", action="store_true", help="with --interactions: where their time goes"
    )
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        events, members = (int(n) for n in size.split("/"))
        for posts in args.posts.split(","):
            later = posts == "later"
            sides = [
                asyncio.run(
                    run_side(
                        side, events, members, later, args.interactions, args.pace, args.stages
                    )
                )
                for side in ("plain", "plein")
            ]
            pace = f", paced at {args.pace:,.0f}/s" if args.pace else ", full speed"
            label = f"{events:,} events from {members:,} members, {posts} posts of the day{pace}"
            show(label, sides[0], sides[1], args.interactions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
