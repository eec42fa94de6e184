"""Member sync benchmark: a large community's member list streamed through the store (SQLite).

    python bench/member_sync.py [--members 100000] [--batch 1000]

Builds the real app (console adapter, temp SQLite, simulated clock) and dispatches the member
list as `MembersListed` batches, made one batch at a time as an adapter streams them (dispatcher
-> the core's member sync -> bulk upserts): first the first sync (everyone new to the registry),
then a second sync a day later (everyone known, 1% gone, 1% new). Then inserts the same rows into
a bare table with plain sqlite3 `executemany` in batches of the same size, as a baseline measured
in the same run. Prints members/s for each, their ratio, and the process's peak RSS after the
app's syncs (before the baseline runs).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bot.app import build  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import example_text, parse_config  # noqa: E402
from bot.events import ListedMember, MembersListed  # noqa: E402

START = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
JOINED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def member_batches(
    count: int, batch: int, *, skip_every: int = 0, extra: int = 0
) -> Iterator[tuple[ListedMember, ...]]:
    """The list as an adapter streams it: one batch of objects at a time, never all at once."""
    ids = (n for n in range(count + extra) if not (skip_every and n % skip_every == 7))
    while True:
        chunk = tuple(
            ListedMember(f"discord:{n}", f"lid{n:06d}", joined_at=JOINED + timedelta(minutes=n))
            for _, n in zip(range(batch), ids, strict=False)
        )
        if not chunk:
            return
        yield chunk


async def sync_once(
    plein: object, sync_id: str, batches: Iterator[tuple[ListedMember, ...]]
) -> int:
    dispatch = plein.dispatch  # type: ignore[attr-defined]
    count = 0
    for batch in batches:
        count += len(batch)
        await dispatch(MembersListed(sync_id=sync_id, batch=batch))
    await dispatch(MembersListed(sync_id=sync_id, batch=(), last=True))
    return count


@dataclass(frozen=True)
class Rate:
    """Wall-clock and CPU-time rates: on a shared machine the CPU figure is the steadier one."""

    count: int
    wall: float
    cpu: float

    @property
    def per_second(self) -> float:
        return self.count / self.wall

    @property
    def per_cpu_second(self) -> float:
        return self.count / self.cpu

    def __str__(self) -> str:
        return f"{self.per_second:,.0f} members/s ({self.per_cpu_second:,.0f} per CPU second)"


async def bench_app(directory: Path, members: int, batch: int) -> tuple[Rate, Rate, int]:
    db_path = directory / "plein.db"
    config = parse_config(
        example_text(),
        "<bench>",
        {
            "PLEIN_STORAGE__URL": f"sqlite:///{db_path}",
            # Welcomes for the 1% joiners would measure onboarding, not the sync.
            "PLEIN_ONBOARDING__CATCH_UP_WINDOW": "0",
        },
    )
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO())
    clock = ManualClock(START)
    plein = await build(config, adapter, clock=clock)
    adapter.host = plein  # no ready(): the scheduler's catch-up work is not what is measured
    began, cpu = time.perf_counter(), time.process_time()
    first = await sync_once(plein, "bench-first", member_batches(members, batch))
    first_rate = Rate(first, time.perf_counter() - began, time.process_time() - cpu)
    clock.set(clock.now() + timedelta(days=1))
    extra = max(members // 100, 1)
    began, cpu = time.perf_counter(), time.process_time()
    second = await sync_once(
        plein, "bench-second", member_batches(members, batch, skip_every=100, extra=extra)
    )
    second_rate = Rate(second, time.perf_counter() - began, time.process_time() - cpu)
    present = await plein.kit.members.count_present()
    await plein.close()
    return first_rate, second_rate, present


def bench_raw(directory: Path, members: int, batch: int) -> Rate:
    """The same rows into a bare table of the same columns: plain sqlite3 executemany."""
    db = sqlite3.connect(directory / "raw.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE members (id VARCHAR(100) PRIMARY KEY, name VARCHAR(200) NOT NULL,"
        " is_bot BOOLEAN NOT NULL, first_joined_at DATETIME NOT NULL, joined_at DATETIME NOT NULL,"
        " left_at DATETIME, join_count INTEGER NOT NULL, before_plein BOOLEAN NOT NULL,"
        " join_time_known BOOLEAN NOT NULL, seen_in_sync INTEGER)"
    )
    sql = "INSERT INTO members VALUES (?, ?, 0, ?, ?, NULL, 1, 1, 1, 1)"
    began, cpu = time.perf_counter(), time.process_time()
    for chunk in member_batches(members, batch):
        rows = [(m.id, m.name, m.joined_at.isoformat(), m.joined_at.isoformat()) for m in chunk]  # type: ignore[union-attr]
        with db:
            db.executemany(sql, rows)
    rate = Rate(members, time.perf_counter() - began, time.process_time() - cpu)
    db.close()
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        first, second, present = asyncio.run(bench_app(directory, args.members, args.batch))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        raw = bench_raw(directory, args.members, args.batch)
    print(f"members: {args.members:,} in batches of {args.batch:,} (SQLite)")
    print(f"first sync (all new, here before Plein): {first}")
    print(f"second sync (1% left, 1% joined):        {second}; {present:,} present")
    print(f"raw sqlite3 executemany, same rows:      {raw}")
    ratio = first.per_second / raw.per_second, second.per_second / raw.per_second
    print(f"ratio to raw: first {ratio[0]:.2f}, second {ratio[1]:.2f}")
    print(f"peak memory of the bot process (max RSS): {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
