"""Scale-out benchmark: several Plein processes on one PostgreSQL.

    python bench/scale_out.py [--events 3000] [--processes 1,2,3] [--repeat 3]
                              [--members 100000] [--contributions 10000000] [--runs 15]
                              [--database-url postgresql://...]

1. Throughput. N real Plein processes (tests/scale/runner.py: the Slack adapter in HTTP mode on
   the Slack fake, which runs here) share one fresh PostgreSQL database; a balancer spreads
   signed Slack message events over them (tests/scale/cluster.py). Printed per N: events/s until
   every event is acknowledged and until every one is processed (its inbox row marked), CPU
   seconds of the Plein processes per 1,000 events, and the ratio to one process (the baseline,
   measured in the same run); each the median of --repeat runs, the load average beside it.
2. Leaderboards. `/top`, `/top period:all` and `/me` latency (median of --runs) on PostgreSQL for
   a community of --members members and --contributions contributions (filled as
   bench/leaderboard.py does: daily aggregates and period totals), with the same community on
   SQLite as the baseline in the same run.

Without --database-url a PostgreSQL server from PyPI (pgserver, the test extra) is started in a
temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bench import leaderboard as board  # noqa: E402
from bot.app import Plein, build  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import example_text, parse_config  # noqa: E402
from tests.fakes.slack import FakeSlack  # noqa: E402
from tests.fakes.slack import payloads as p  # noqa: E402
from tests.faults.process import Request  # noqa: E402
from tests.postgres_server import create_database, drop_database, running_server  # noqa: E402
from tests.scale.cluster import Balancer, Cluster, Node  # noqa: E402
from tests.scale.file_clock import set_time  # noqa: E402

CHANNEL = "C0ALGEMEEN"
AUTHORS = 200
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def count_unprocessed(url: str) -> tuple[int, int]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        row = await conn.fetchrow(
            "SELECT count(*) AS rows, count(*) FILTER (WHERE processed_at IS NULL) AS open "
            "FROM inbox"
        )
        return int(row["rows"]), int(row["open"])
    finally:
        await conn.close()


async def throughput(
    admin: str, processes: int, events: int, work: Path
) -> tuple[float, float, float]:
    """(acknowledged events/s, processed events/s, CPU s per 1,000 events) for N processes."""
    url = await create_database(admin)
    fake = FakeSlack()
    fake.add_channel(CHANNEL, "algemeen")
    for n in range(AUTHORS):
        fake.add_user(f"UA{n:07d}", f"Author {n}")
    await fake.start()
    clock_dir = work / f"n{processes}"
    clock_dir.mkdir(parents=True)
    set_time(clock_dir, board.NOW)
    cluster = Cluster(
        [Node(f"plein-{n}", url, fake.api_url, clock_dir) for n in range(processes)], clock_dir
    )
    try:
        await asyncio.gather(*(node.start() for node in cluster.nodes))
        requests = [
            Request.event(
                f"e{i}",
                p.message(
                    f"UA{i % AUTHORS:07d}",
                    CHANNEL,
                    f"message {i}",
                    f"1800000000.{i:06d}",
                    event_id=f"EvS{i:08d}",
                ),
            )  # fmt: skip
            for i in range(events)
        ]
        pids = [node.process.pid for node in cluster.nodes if node.process is not None]
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        began = time.perf_counter()
        balancer = Balancer(cluster, concurrency=32)
        await balancer.send(requests)
        acked = time.perf_counter() - began
        while True:
            rows, open_rows = await count_unprocessed(url)
            if rows >= events and open_rows == 0:
                break
            await asyncio.sleep(0.05)
        processed = time.perf_counter() - began
        cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    finally:
        for node in cluster.live():
            await node.stop()
        await fake.close()
        await drop_database(admin, url)
    return events / acked, events / processed, cpu / events * 1000


async def fill_postgres(url: str, members: int, contributions: int) -> tuple[int, int]:
    """The same community bench/leaderboard.py builds on SQLite, with COPY."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.copy_records_to_table(
            "members",
            records=[
                (board.member_id(k), f"m{k}", False, board.NOW, board.NOW, None, 1)
                for k in range(members)
            ],
            columns=[
                "id",
                "name",
                "is_bot",
                "first_joined_at",
                "joined_at",
                "left_at",
                "join_count",
            ],
        )
        totals: dict[tuple[str, str], int] = {}
        counts = board.volumes(members, contributions)
        rows = board.daily_rows(counts, totals)
        written = 0
        while True:
            chunk = [
                (date.fromisoformat(day), member, kind, n, points)
                for _, (day, member, kind, n, points) in zip(range(200_000), rows, strict=False)
            ]
            if not chunk:
                break
            await conn.copy_records_to_table(
                "contribution_daily",
                records=chunk,
                columns=["day", "member_id", "kind", "count", "points"],
            )
            written += len(chunk)
        await conn.copy_records_to_table(
            "contribution_totals",
            records=[(period, member, v) for (period, member), v in totals.items()],
            columns=["period", "member_id", "points"],
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return sum(counts), written


async def latencies(storage_url: str, members: int, runs: int) -> dict[str, float]:
    config = parse_config(example_text(), "<bench>", {"PLEIN_STORAGE__URL": storage_url})
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO())
    plein: Plein = await build(config, adapter, clock=ManualClock(board.NOW))
    adapter.host = plein
    await plein.ready()
    figures: dict[str, float] = {}
    try:
        for label, k in (("most active", 0), ("least active", members - 1)):
            who = board.member_id(k)
            figures[f"{label} /top"] = await board.timed(plein, who, ("top",), {}, runs)
            figures[f"{label} /top all"] = await board.timed(
                plein, who, ("top",), {"period": "all"}, runs
            )
            figures[f"{label} /me"] = await board.timed(plein, who, ("me",), {}, runs)
    finally:
        await plein.close()
    return figures


async def schema(storage_url: str) -> None:
    config = parse_config(example_text(), "<bench>", {"PLEIN_STORAGE__URL": storage_url})
    plein = await build(config, ConsoleAdapter(config, lines=[], out=io.StringIO()))
    await plein.close()


async def leaderboards(admin: str, members: int, contributions: int, runs: int, work: Path) -> None:
    sqlite_url = f"sqlite:///{work / 'plein.db'}"
    await schema(sqlite_url)
    began = time.perf_counter()
    await asyncio.to_thread(board.fill, work / "plein.db", members, contributions)
    sqlite_fill = time.perf_counter() - began
    url = await create_database(admin)
    try:
        await schema(url)
        began = time.perf_counter()
        total, rows = await fill_postgres(url, members, contributions)
        pg_fill = time.perf_counter() - began
        print(
            f"community: {members:,} members, {total:,} contributions ({rows:,} daily rows); "
            f"filled in {sqlite_fill:.1f}s (SQLite), {pg_fill:.1f}s (PostgreSQL)"
        )
        baseline = await latencies(sqlite_url, members, runs)
        postgres = await latencies(url, members, runs)
    finally:
        await drop_database(admin, url)
    for what, ms in postgres.items():
        print(
            f"{what:>22}: PostgreSQL {ms:7.1f} ms   SQLite (baseline) {baseline[what]:7.1f} ms   "
            f"ratio: {ms / baseline[what]:.2f}x   (median of {runs})"
        )


async def run(args: argparse.Namespace, work: Path) -> None:
    if args.database_url:
        await measure(args, work, args.database_url)
        return
    server = running_server()
    admin = await asyncio.to_thread(server.__enter__)  # it may wait for its own event loop
    try:
        await measure(args, work, admin)
    finally:
        server.__exit__(None, None, None)


def load_average() -> str:
    """The machine is shared: every figure is printed with the load it was measured under."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


async def measure(args: argparse.Namespace, work: Path, admin: str) -> None:
    print(f"throughput: {load_average()} before")
    runs: dict[int, list[tuple[float, float, float]]] = {n: [] for n in args.processes}
    for attempt in range(args.repeat):  # interleaved, so a burst of load hits every N alike
        for n in args.processes:
            runs[n].append(await throughput(admin, n, args.events, work / f"r{attempt}"))
    figures = {
        n: tuple(statistics.median(run[i] for run in found) for i in range(3))
        for n, found in runs.items()
    }
    print(f"throughput: {load_average()} after; medians of {args.repeat} runs")
    base_acked, base_processed, _ = figures[args.processes[0]]
    for n, (acked, processed, cpu) in figures.items():
        print(
            f"{n} process(es): {acked:8.0f} events/s acknowledged, {processed:8.0f} events/s "
            f"processed, {cpu:5.2f} CPU s per 1,000 events; ratio to "
            f"{args.processes[0]} process: {acked / base_acked:.2f}x acknowledged, "
            f"{processed / base_processed:.2f}x processed ({args.events:,} signed Slack events)"
        )
    await leaderboards(admin, args.members, args.contributions, args.runs, work)
    print(f"leaderboards: {load_average()} after")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument(
        "--processes", type=lambda v: [int(n) for n in v.split(",")], default=[1, 2, 3]
    )
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--contributions", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs per N (median)")
    parser.add_argument("--database-url", help="a PostgreSQL admin URL (default: pgserver)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args, Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
