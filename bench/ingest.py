"""Ingest benchmark: synthetic messages through the adapters' path, against raw sqlite3.

    python bench/ingest.py [--events 200000] [--members 5000] [--profile]

Builds the real app (console adapter, temp SQLite, simulated clock), feeds `MessagePosted`
events through `plein.dispatch` (dispatcher -> every feature's handler -> recognition's batched
writer -> storage) and flushes at the end. Then inserts the same contribution rows into an
identically shaped table with plain sqlite3 `executemany` in batches of the same size, and prints
both rates and their ratio. The clock advances one second every 1,000 events, so the message
cooldown lets some messages earn points (and upsert the leaderboard totals).

A warm-up pass first lets every member post once, so per-member-per-day work of other features
(onboarding records the first post of the day) is not what is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bot.app import build  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import example_text, parse_config  # noqa: E402
from bot.events import Member, MessagePosted  # noqa: E402

START = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)


def make_events(count: int, members: list[Member], offset: int = 0) -> list[MessagePosted]:
    """Authors follow a power law (member k posts about 1/k as often as member 1), as in real
    communities (the 90-9-1 rule); seeded, so every run feeds the same events."""
    rng = random.Random(42 + offset)
    weights = [1 / (k + 1) for k in range(len(members))]
    authors = rng.choices(members, weights=weights, k=count)
    events = []
    for i, author in enumerate(authors):
        n = offset + i
        events.append(
            MessagePosted(
                author=author,
                channel="algemeen" if n % 5 else "natuur",
                message_ref=f"m{n}",
                length=20 + n % 200,
                thread_of=f"m{n - 3}" if n % 4 == 0 and n > 3 else None,
            )
        )
    return events


async def bench_app(
    directory: Path, count: int, member_count: int, profile: bool = False
) -> tuple[float, int, str]:
    db_path = directory / "plein.db"
    config = parse_config(example_text(), "<bench>", {"PLEIN_STORAGE__URL": f"sqlite:///{db_path}"})
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO())
    clock = ManualClock(START)
    plein = await build(config, adapter, clock=clock)
    adapter.host = plein
    await plein.ready()
    members = [Member(f"console:m{i}", f"m{i}") for i in range(member_count)]
    for i, member in enumerate(members):
        await plein.dispatch(
            MessagePosted(author=member, channel="algemeen", message_ref=f"w{i}", length=30)
        )
    await plein.flush()
    clock.set(clock.now() + timedelta(minutes=5))
    events = make_events(count, members)
    dispatch = plein.dispatch
    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()
    began = time.perf_counter()
    for i, event in enumerate(events):
        if i % 1000 == 999:
            clock.set(clock.now() + timedelta(seconds=1))
        await dispatch(event)
    await plein.flush()
    elapsed = time.perf_counter() - began
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(40)
    batch = config.recognition.flush_batch
    await plein.close()
    return count / elapsed, batch, str(db_path)


def bench_raw(db_path: str, directory: Path, batch: int) -> tuple[float, int]:
    """The same rows (read back from the app's table) into a copy of the table, raw sqlite3."""
    source = sqlite3.connect(db_path)
    schema = [
        row[0]
        for row in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'contributions' AND sql IS NOT NULL"
        )
    ]
    rows = source.execute(
        "SELECT member_id, kind, channel, at, day, length, ref, points FROM contributions"
    ).fetchall()
    source.close()
    target = sqlite3.connect(directory / "raw.db")
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    for statement in schema:
        target.execute(statement)
    sql = (
        "INSERT INTO contributions (member_id, kind, channel, at, day, length, ref, points) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    began = time.perf_counter()
    for start in range(0, len(rows), batch):
        with target:
            target.executemany(sql, rows[start : start + batch])
    elapsed = time.perf_counter() - began
    target.close()
    return len(rows) / elapsed, len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the measured loop only (stderr); slows it, so the rate is not comparable",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        rate, batch, db_path = asyncio.run(
            bench_app(directory, args.events, args.members, args.profile)
        )
        raw_rate, rows = bench_raw(db_path, directory, batch)
    print(f"events: {args.events:,} from {args.members:,} members (batch {batch})")
    print(f"end to end (dispatch -> recognition -> SQLite): {rate:,.0f} events/s")
    print(f"raw sqlite3 executemany, same {rows:,} rows:    {raw_rate:,.0f} rows/s")
    print(f"ratio: {rate / raw_rate:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
