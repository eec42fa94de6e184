"""Leaderboard benchmark: /top and /me latency on a large community, and peak memory.

    python bench/leaderboard.py [--members 100000] [--contributions 10000000]

Creates the schema through the real app, then fills it directly with sqlite3 `executemany`
(members, the daily aggregates and the period totals that 10 million contributions over a year
produce; authors follow a power law, as in real communities). The raw `contributions` table is
not filled: leaderboards and /me never read it. Then it builds the real app again (console
adapter, simulated clock) and times `/top`, `/top period:all` and `/me` dispatched as commands,
for the most active, a middling and the least active member. Prints figures and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bot.app import Plein, build  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import example_text, parse_config  # noqa: E402
from bot.events import Actor, CommandInvoked, Interaction  # noqa: E402
from bot.features.recognition.periods import period_keys  # noqa: E402

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 23)
DAYS = 365


def member_id(k: int) -> str:
    return f"console:m{k}"


def volumes(members: int, contributions: int) -> list[int]:
    weights = [1 / (k + 1) ** 0.8 for k in range(members)]
    scale = contributions / sum(weights)
    return [max(1, round(w * scale)) for w in weights]


def daily_rows(counts: list[int], totals: dict[tuple[str, str], int]) -> Iterator[tuple]:
    """(day, member_id, kind, count, points); fills `totals` (period, member) -> points."""
    for k, total in enumerate(counts):
        member = member_id(k)
        active = max(1, min(DAYS, total // 20))
        step = DAYS / active
        per_day, extra = divmod(total, active)
        for i in range(active):
            day = TODAY - timedelta(days=int(i * step))
            n = per_day + (1 if i < extra else 0)
            replies = n // 3
            messages = n - replies
            points = messages + 2 * replies
            yield (day.isoformat(), member, "message", messages, messages)
            if replies:
                yield (day.isoformat(), member, "reply", replies, 2 * replies)
            for period in period_keys(day):
                key = (period, member)
                totals[key] = totals.get(key, 0) + points


def fill(db_path: Path, members: int, contributions: int) -> tuple[int, int]:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S.%f")
    with conn:
        conn.executemany(
            "INSERT INTO members (id, name, is_bot, first_joined_at, joined_at, left_at, "
            "join_count) VALUES (?, ?, 0, ?, ?, NULL, 1)",
            ((member_id(k), f"m{k}", stamp, stamp) for k in range(members)),
        )
    totals: dict[tuple[str, str], int] = {}
    counts = volumes(members, contributions)
    rows = daily_rows(counts, totals)
    written = 0
    while True:
        chunk = [row for _, row in zip(range(200_000), rows, strict=False)]
        if not chunk:
            break
        with conn:
            conn.executemany(
                "INSERT INTO contribution_daily (day, member_id, kind, count, points) "
                "VALUES (?, ?, ?, ?, ?)",
                chunk,
            )
        written += len(chunk)
    with conn:
        conn.executemany(
            "INSERT INTO contribution_totals (period, member_id, points) VALUES (?, ?, ?)",
            ((p, m, v) for (p, m), v in totals.items()),
        )
    conn.execute("ANALYZE")
    conn.close()
    return sum(counts), written


async def timed(plein: Plein, who: str, path: tuple[str, ...], options: dict, runs: int) -> float:
    actor = Actor(who, who.split(":")[1])
    samples = []
    for i in range(runs):
        event = CommandInvoked(
            actor=actor, path=path, options=options, interaction=Interaction(f"i{i}", "algemeen")
        )
        began = time.perf_counter()
        await plein.dispatch(event)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


async def run(directory: Path, members: int, contributions: int, runs: int) -> None:
    db_path = directory / "plein.db"
    config = parse_config(example_text(), "<bench>", {"PLEIN_STORAGE__URL": f"sqlite:///{db_path}"})

    async def app() -> Plein:
        adapter = ConsoleAdapter(config, lines=[], out=io.StringIO())
        plein = await build(config, adapter, clock=ManualClock(NOW))
        adapter.host = plein
        return plein

    await (await app()).close()  # creates the schema
    began = time.perf_counter()
    # Filled by a child process, so the peak memory printed below is the app's, not the filler's.
    filler = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            __file__,
            "--fill",
            str(db_path),
            "--members",
            str(members),
            "--contributions",
            str(contributions),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    total, rows = (int(n) for n in filler.stdout.split())
    print(
        f"community: {members:,} members, {total:,} contributions "
        f"({rows:,} daily aggregate rows), built in {time.perf_counter() - began:.1f}s"
    )
    plein = await app()
    await plein.ready()
    for label, k in (("most active", 0), ("middling", members // 2), ("least active", members - 1)):
        who = member_id(k)
        top_week = await timed(plein, who, ("top",), {}, runs)
        top_all = await timed(plein, who, ("top",), {"period": "all"}, runs)
        me = await timed(plein, who, ("me",), {}, runs)
        print(
            f"{label:>13} member: /top {top_week:6.1f} ms   /top all {top_all:6.1f} ms   "
            f"/me {me:6.1f} ms   (median of {runs})"
        )
    await plein.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--contributions", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill is not None:
        print(*fill(args.fill, args.members, args.contributions))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp), args.members, args.contributions, args.runs))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the bot process (max RSS): {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
