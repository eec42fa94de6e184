"""Report benchmark: the weekly report and its chart at 10k ... 10M contributions.

    python bench/report.py [--members 100000] [--sizes 10k,100k,1m,10m] [--runs 3]
                           [--cache DIR] [--profile]

For each size it fills a SQLite database (schema from the real migrations) with `--members`
members and the aggregate tables of N contributions over the last 12 weeks, built with set-based
SQL (bench/report_fill.py: the raw `contributions` table stays empty - the report never reads
it). With `--cache DIR` a filled database is kept in DIR, keyed by members, size, the schema's
head revision and the fill's version, so later runs skip the fill (every run works on a copy).
Without it the databases live in a temporary directory and are deleted.

It times, median of `--runs`:
- report figures: the week, the week before, the ambassador candidates (with help to
  newcomers), the health figures and the chart data (12 weeks, ladder, cohorts, heatmap),
  computed as the report service does (figures only), with the wall and CPU time of each;
- the same figures read from the daily rows only (the report before the weekly aggregate:
  `whole_weeks=False`), the baseline of the ratio;
- /report end to end on Monday 09:00 and on Thursday 09:00 (the middle of a week): the command
  dispatched to the real app (console adapter, simulated clock), with the chart rendered; and
  the chart's PNG rendering alone (the first one includes importing matplotlib);
- a baseline in the same database: one plain indexed COUNT over the week's daily rows.

`--profile` adds a cProfile of one `/report` on Thursday (top functions by cumulative time).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bench import report_fill  # noqa: E402
from bench.report_fill import LAST_DAY  # noqa: E402
from bot.app import build  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import example_text, parse_config  # noqa: E402
from bot.events import Actor, CommandInvoked, Interaction  # noqa: E402
from bot.features.report.charts import chart_labels, render_png  # noqa: E402
from bot.features.report.figures import ambassador_candidates, compute  # noqa: E402
from bot.features.report.health_figures import chart_data, compute_health  # noqa: E402
from bot.features.report.weeks import span_ending  # noqa: E402
from bot.i18n import Translator  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.report import SqlCommunityFacts  # noqa: E402

UTC_ZONE = ZoneInfo("UTC")
MONDAY = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
THURSDAY = datetime(2026, 3, 26, 9, 0, tzinfo=UTC)
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
Step = Callable[[SqlCommunityFacts], Awaitable[object]]


def figure_steps() -> dict[str, Step]:
    """What ReportService.build + chart read for the weekly job (no text, no PNG)."""
    week = span_ending(LAST_DAY, 7, UTC_ZONE, MONDAY)
    before = span_ending(LAST_DAY - timedelta(days=7), 7, UTC_ZONE, MONDAY)
    return {
        "week": lambda facts: compute(facts, week, UTC_ZONE),
        "week before": lambda facts: compute(facts, before, UTC_ZONE),
        "ambassadors": lambda facts: ambassador_candidates(
            facts, week, weeks=4, min_weeks=3, limit=5, health=facts, newcomer_days=30
        ),
        "health": lambda facts: compute_health(
            facts, week, UTC_ZONE, answer_within=timedelta(hours=4), newcomer_days=30
        ),
        "chart data": lambda facts: chart_data(
            facts, facts, LAST_DAY, UTC_ZONE, MONDAY, max_weeks=12, goal_share=33
        ),
    }


class Timings:
    """Wall and CPU milliseconds per named step, over several runs."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    async def time(self, name: str, work: Awaitable[object]) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        await work
        self.wall.setdefault(name, []).append((time.perf_counter() - wall) * 1000)
        self.cpu.setdefault(name, []).append((time.process_time() - cpu) * 1000)

    def median(self, name: str) -> float:
        return statistics.median(self.wall[name])

    def line(self, names: list[str]) -> str:
        return ", ".join(
            f"{name} {self.median(name):.0f} ms (CPU {statistics.median(self.cpu[name]):.0f})"
            for name in names
        )


async def figures(facts: SqlCommunityFacts, timings: Timings, runs: int, tag: str) -> None:
    steps = figure_steps()
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        for name, step in steps.items():
            await timings.time(f"{tag}{name}", step(facts))
        timings.wall.setdefault(tag + "all", []).append((time.perf_counter() - wall) * 1000)
        timings.cpu.setdefault(tag + "all", []).append((time.process_time() - cpu) * 1000)


def indexed_count(db_path: Path, runs: int) -> float:
    conn = sqlite3.connect(db_path)
    first = (LAST_DAY - timedelta(days=6)).isoformat()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        conn.execute(
            "SELECT count(*) FROM contribution_daily WHERE day >= ? AND day <= ?",
            (first, LAST_DAY.isoformat()),
        ).fetchall()
        samples.append((time.perf_counter() - began) * 1000)
    conn.close()
    return statistics.median(samples)


class SlowestStatements:
    """Wall time of every SQL statement while active (they run in aiosqlite's thread, which the
    profiler of the event loop's thread does not see)."""

    def __init__(self) -> None:
        self.times: list[tuple[float, str]] = []
        self._began: dict[int, float] = {}

    def _before(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        self._began[id(cursor)] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        began = self._began.pop(id(cursor), None)
        if began is not None:
            self.times.append(((time.perf_counter() - began) * 1000, statement))

    def __enter__(self) -> SlowestStatements:
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._before)
        event.remove(Engine, "after_cursor_execute", self._after)

    def summary(self, count: int) -> str:
        total = sum(ms for ms, _ in self.times)
        lines = [f"{len(self.times)} statements, {total:.0f} ms"]
        for ms, statement in sorted(self.times, reverse=True)[:count]:
            lines.append(f"{ms:8.1f} ms  {' '.join(statement.split())[:300]}")
        return "\n".join(lines)


async def end_to_end(
    db_path: Path, moment: datetime, runs: int, timings: Timings, name: str, profile: bool
) -> None:
    config = parse_config(
        example_text(),
        "<bench>",
        {"PLEIN_STORAGE__URL": f"sqlite:///{db_path}", "PLEIN_COMMUNITY__TIMEZONE": "UTC"},
    )
    out = io.StringIO()
    adapter = ConsoleAdapter(config, lines=[], out=out)
    plein = await build(config, adapter, clock=ManualClock(moment))
    adapter.host = plein
    await plein.ready()
    manager = Actor("console:anna", "anna", is_manager=True)

    def report() -> Awaitable[object]:
        return plein.dispatch(
            CommandInvoked(
                actor=manager, path=("report",), options={}, interaction=Interaction("i", "bestuur")
            )
        )

    for _ in range(runs):
        await timings.time(name, report())
    if profile:
        profiler = cProfile.Profile()
        with SlowestStatements() as statements:
            profiler.enable()
            await report()
            profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
        print(f"--- cProfile of one /report ({name}) ---\n{text.getvalue()}")
        print(f"--- its slowest SQL statements ---\n{statements.summary(12)}")
    await plein.close()
    replies = out.getvalue().count("[file]")
    if replies < runs:  # the weekly job may add one more; every /report must have answered
        raise SystemExit(f"/report did not answer with its chart ({replies} of {runs})")


async def rendering(facts: SqlCommunityFacts, runs: int, timings: Timings) -> None:
    data = await chart_data(facts, facts, LAST_DAY, UTC_ZONE, MONDAY, max_weeks=12, goal_share=33)
    labels = chart_labels(Translator("nl"), data, ["1", "2", "3", "4", "5"])
    await timings.time("first PNG", asyncio.to_thread(render_png, data, labels))
    for _ in range(runs):
        await timings.time("PNG", asyncio.to_thread(render_png, data, labels))


async def migrated(db_path: Path) -> None:
    config = parse_config(example_text(), "<bench>", {"PLEIN_STORAGE__URL": f"sqlite:///{db_path}"})
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO())
    plein = await build(config, adapter, clock=ManualClock(MONDAY))
    adapter.host = plein
    await plein.close()  # the schema through the migrations


async def prepared(work: Path, cache: Path | None, members: int, contributions: int) -> str:
    db_path = work / f"report-{contributions}.db"
    db_path.unlink(missing_ok=True)
    found = report_fill.cached(cache, members, contributions) if cache else None
    if found is not None:
        shutil.copyfile(found, db_path)
        await migrated(
            db_path
        )  # nothing to migrate: builds the app, whose features define the tables
        return "from the cache"
    await migrated(db_path)
    began = time.perf_counter()
    await asyncio.to_thread(report_fill.fill, db_path, members, contributions)
    note = f"filled in {time.perf_counter() - began:.0f} s"
    if cache is not None:
        report_fill.keep(cache, db_path, members, contributions)
        note += ", kept in the cache"
    return note


async def one_size(
    work: Path, cache: Path | None, members: int, contributions: int, runs: int, profile: bool
) -> None:
    note = await prepared(work, cache, members, contributions)
    db_path = work / f"report-{contributions}.db"
    daily, weekly = report_fill.counts(db_path)
    timings = Timings()
    db = Database.from_url(f"sqlite:///{db_path}")
    facts = SqlCommunityFacts(db)
    await figures(facts, timings, runs, "")
    daily_only = SqlCommunityFacts(db)
    daily_only.whole_weeks = False
    await figures(daily_only, timings, runs, "daily:")
    await rendering(facts, runs, timings)
    await db.close()
    await end_to_end(db_path, MONDAY, runs, timings, "/report Mon", profile=False)
    await end_to_end(db_path, THURSDAY, runs, timings, "/report Thu", profile=profile)
    count = await asyncio.to_thread(indexed_count, db_path, runs)
    db_path.unlink()
    figures_ms, days_ms = timings.median("all"), timings.median("daily:all")
    print(
        f"{contributions:>11,} contributions ({daily:,} daily rows, {weekly:,} weekly rows, "
        f"{note}): report figures {figures_ms:.0f} ms (from daily rows only {days_ms:.0f} ms, "
        f"ratio {figures_ms / max(days_ms, 0.001):.2f}x) | /report end to end Monday "
        f"{timings.median('/report Mon'):.0f} ms, Thursday {timings.median('/report Thu'):.0f} ms"
        f" | baseline: indexed COUNT {count:.1f} ms (figures/COUNT "
        f"{figures_ms / max(count, 0.001):.0f}x)\n"
        f"    figures: {timings.line(list(figure_steps()))}\n"
        f"    daily rows only: {timings.line([f'daily:{n}' for n in figure_steps()])}\n"
        f"    chart PNG: {timings.line(['first PNG', 'PNG'])}"
    )


def parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        key = part.strip().lower()
        out.append(SIZES[key] if key in SIZES else int(key))
    return out


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--sizes", default="10k,100k,1m,10m", help="contributions per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--cache", type=Path, default=None, help="keep filled databases in this directory"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one /report")
    args = parser.parse_args(argv)
    print(
        f"report benchmark: {args.members:,} members, contributions over "
        f"{report_fill.DAYS} days; load average {load_average()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in parse_sizes(args.sizes):
            asyncio.run(
                one_size(Path(tmp), args.cache, args.members, size, args.runs, args.profile)
            )
    print(f"load average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
