"""Dashboard benchmark: the overview and members pages at 100k members / 10M contributions.

    python bench/dashboard.py [--size 100k/10m] [--runs 3] [--cache DIR]

Fills a SQLite database as bench/report.py does (members present since long before, the
contributions spread over 12 weeks with a power law over authors, `contribution_daily` built from
them) - or reuses the one filled earlier in `--cache` (default: plein-bench-dashboard in the
system's temporary directory, outside the repository), whose stored dashboard snapshots and
claims are cleared first, so every run starts as a Plein that never showed its dashboard. It
starts the real app (console adapter, simulated clock) with its web port, logs in with a one-time
link and times over real HTTP on 127.0.0.1, median of `--runs`:
- steady state: GET /dashboard/overview and GET /dashboard/members served from the page's
  figures snapshot (bot/features/dashboard/snapshots.py); the goal is under 300 ms each;
- the first load after a restart (ten minutes later): a new app on the same database serves the
  snapshot the first one stored (bot/features/dashboard/stored.py) while it refreshes it;
- reported apart and honestly: a never-started install (no stored snapshot: the first
  computation). Plein starts computing every page's figures when its web port starts; the
  bench logs in at once and asks for the overview and the members page: "answered" is how long
  each first request took (with the product's `first_wait`: the figures, or the page that says
  they are being computed), "shown" is how long after the web port started the page first
  showed its figures (asked again every 50 ms, as the page's own reload would, only faster);
  the steady-state timings start when that first computation of every page is done;
- baseline from the same server in the same run: GET /dashboard/static/dashboard.css (a static
  file through the same ASGI bridge and session middleware) and GET /healthz (aiohttp alone).
Every figure is also given as a ratio to the static file, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bench import report_fill  # noqa: E402
from bench.report import MONDAY as NOW  # noqa: E402
from bot.app import build  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import example_text, parse_config  # noqa: E402
from bot.web_port import WebPort  # noqa: E402

SCALE = {"k": 1_000, "m": 1_000_000}
GOAL_MS = 300.0


def count(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * SCALE[text[-1]]) if text[-1] in SCALE else int(text)


async def timed_ms(session: aiohttp.ClientSession, url: str, runs: int) -> tuple[float, float]:
    """(the first load, the median of `runs` loads after it) in milliseconds."""
    began = time.perf_counter()
    async with session.get(url) as response:  # computes the page's figures snapshot
        assert response.status == 200, (url, response.status)
        await response.read()
    first = (time.perf_counter() - began) * 1000
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        async with session.get(url) as response:
            await response.read()
            assert response.status == 200, (url, response.status)
        samples.append(time.perf_counter() - began)
    return first, statistics.median(samples) * 1000 if samples else first


def prepare(cache: Path, members: int, contributions: int) -> tuple[Path, int, int, float]:
    """The filled database in `cache` (filled now when absent), as a never-started dashboard:
    (path, daily rows, weekly rows, seconds spent filling; 0 when reused)."""
    cache.mkdir(parents=True, exist_ok=True)
    db_path = cache / f"dashboard-{members}-{contributions}.db"
    facts = db_path.with_suffix(".json")
    if db_path.exists() and facts.exists():
        daily, weekly = json.loads(facts.read_text())
        conn = sqlite3.connect(db_path)
        with conn:
            for table in ("dashboard_snapshots", "dashboard_links"):
                if conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
                ).fetchone():
                    conn.execute(f"DELETE FROM {table}")  # noqa: S608 - two fixed names
            conn.execute("DELETE FROM work_claims WHERE kind = 'dashboard.figures'")
        conn.close()
        return db_path, daily, weekly, 0.0
    for stale in (db_path, facts):
        stale.unlink(missing_ok=True)
    asyncio.run(migrate(db_path))
    began = time.perf_counter()
    report_fill.fill(db_path, members, contributions)
    daily, weekly = report_fill.counts(db_path)
    filled = time.perf_counter() - began
    facts.write_text(json.dumps([daily, weekly]))
    return db_path, daily, weekly, filled


def bench_config(db_path: Path):  # type: ignore[no-untyped-def]
    env = {
        "PLEIN_STORAGE__URL": f"sqlite:///{db_path}",
        "PLEIN_COMMUNITY__TIMEZONE": "UTC",
        "PLEIN_WEB__ENABLED": "true",
        "PLEIN_WEB__PORT": "0",
        "PLEIN_DASHBOARD__SECRET": "bench",
    }
    return parse_config(example_text(), "<bench>", env)


async def start(db_path: Path, at):  # type: ignore[no-untyped-def]
    config = bench_config(db_path)
    plein = await build(
        config, ConsoleAdapter(config, lines=[], out=io.StringIO()), clock=ManualClock(at)
    )
    return plein


async def migrate(db_path: Path) -> None:
    await (await start(db_path, NOW)).close()  # the schema, through the migrations


COMPUTING = 'id="computing"'
"""Marks the page that says the figures are being computed (ops/dashboard/templates)."""


async def answered(session: aiohttp.ClientSession, url: str) -> tuple[float, bool]:
    """(milliseconds to the answer, whether it showed the figures)."""
    began = time.perf_counter()
    async with session.get(url) as response:
        assert response.status == 200, (url, response.status)
        html = await response.text()
    return (time.perf_counter() - began) * 1000, COMPUTING not in html


PATIENCE_S = 1800.0
"""A first computation that failed is tried again when its lease runs out, which the bench's
simulated clock never lets happen: give up then instead of asking forever."""


async def shown_after(session: aiohttp.ClientSession, url: str, started: float) -> float:
    """Milliseconds from `started` until the page shows its figures."""
    while True:  # polls over HTTP, as the page does: there is no event to wait for
        if (await answered(session, url))[1]:
            return (time.perf_counter() - started) * 1000
        if time.perf_counter() - started > PATIENCE_S:
            raise RuntimeError(f"{url}: no figures after {PATIENCE_S:.0f}s (see the log)")
        await asyncio.sleep(0.05)


async def serve(db_path: Path, at, measure):  # type: ignore[no-untyped-def]
    """Start Plein with its web port at `at`, log in, run `measure(session, base, plein,
    started)` (`started`: when the web port, and the figures' warm-up, started), stop."""
    plein = await start(db_path, at)
    web = WebPort.for_config(bench_config(db_path), "console")
    assert web is not None
    started = time.perf_counter()
    port = await web.start(plein)
    base = f"http://127.0.0.1:{port}"
    token = await plein.features["dashboard"].access.new_link(at)
    try:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            login = f"{base}/dashboard/link/{token}"
            async with session.post(login, allow_redirects=False) as response:
                assert response.headers["Location"] == "/dashboard/overview", response.status
            return await measure(session, base, plein, started)
    finally:
        await web.stop()
        await plein.close()


async def run(db_path: Path, runs: int) -> dict[str, float]:
    async def never_started(session, base, plein, started):  # type: ignore[no-untyped-def]
        pages = {page: f"{base}/dashboard/{page}" for page in ("overview", "members")}
        first = {page: await answered(session, url) for page, url in pages.items()}
        shown = {page: await shown_after(session, url, started) for page, url in pages.items()}
        await plein.features["dashboard"].snapshots.settled()  # the other pages' warm-up too
        _, overview = await timed_ms(session, pages["overview"], runs)
        _, listing = await timed_ms(session, pages["members"], runs)
        _, static = await timed_ms(session, f"{base}/dashboard/static/dashboard.css", runs)
        _, health = await timed_ms(session, f"{base}/healthz", runs)
        return {
            "cold_overview": first["overview"][0],
            "cold_members": first["members"][0],
            "cold_overview_figures": float(first["overview"][1]),
            "cold_members_figures": float(first["members"][1]),
            "shown_overview": shown["overview"],
            "shown_members": shown["members"],
            "overview": overview,
            "members": listing,
            "static": static,
            "healthz": health,
        }

    async def restarted(session, base, plein, started):  # type: ignore[no-untyped-def]
        first_overview, _ = await timed_ms(session, f"{base}/dashboard/overview", 0)
        first_members, _ = await timed_ms(session, f"{base}/dashboard/members", 0)
        _, static = await timed_ms(session, f"{base}/dashboard/static/dashboard.css", runs)
        return {
            "restart_overview": first_overview,
            "restart_members": first_members,
            "restart_static": static,
        }

    figures = await serve(db_path, NOW, never_started)
    # ten minutes later: the stored snapshots are stale, served at once and refreshed behind
    figures.update(await serve(db_path, NOW + timedelta(minutes=10), restarted))
    return figures


def what(figures: float) -> str:
    return "the figures" if figures else '"being computed"'


def report(
    members: int, contributions: int, facts: tuple[int, int, float], f: dict[str, float], runs: int
) -> None:
    daily, weekly, filled = facts
    load = os.getloadavg()
    static = max(f["static"], 0.001)
    restart_static = max(f["restart_static"], 0.001)
    verdict = "within" if max(f["overview"], f["members"]) < GOAL_MS else "OVER"
    after = "within" if max(f["restart_overview"], f["restart_members"]) < GOAL_MS else "OVER"
    first = "within" if max(f["cold_overview"], f["cold_members"]) < GOAL_MS else "OVER"
    fill_text = f"filled in {filled:.1f}s" if filled else "reused from the cache"
    print(
        f"{members:,} members, {contributions:,} contributions ({daily:,} daily and {weekly:,} "
        f"weekly rows, {fill_text}), median of {runs}, load average "
        f"{load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}:\n"
        f"  steady state: overview {f['overview']:7.1f} ms ({f['overview'] / static:.1f}x) | "
        f"members {f['members']:7.1f} ms ({f['members'] / static:.1f}x)  ({verdict} the "
        f"{GOAL_MS:.0f} ms goal; from the figures snapshot)\n"
        f"  first load after a restart (the stored snapshot): overview "
        f"{f['restart_overview']:7.1f} ms ({f['restart_overview'] / restart_static:.1f}x) | "
        f"members {f['restart_members']:7.1f} ms ({f['restart_members'] / restart_static:.1f}x)"
        f"  ({after} the goal; baseline static file {f['restart_static']:.1f} ms in that start)\n"
        f"  never-started install (the first computation, begun when the web port started):\n"
        f"    page answered: overview {f['cold_overview']:7.1f} ms "
        f"({f['cold_overview'] / static:.1f}x, {what(f['cold_overview_figures'])}) | members "
        f"{f['cold_members']:7.1f} ms ({f['cold_members'] / static:.1f}x, "
        f"{what(f['cold_members_figures'])})  ({first} the goal)\n"
        f"    figures shown after the start: overview {f['shown_overview']:,.0f} ms "
        f"({f['shown_overview'] / static:,.0f}x) | members {f['shown_members']:,.0f} ms "
        f"({f['shown_members'] / static:,.0f}x)\n"
        f"  baseline: static file {f['static']:6.1f} ms, /healthz {f['healthz']:6.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="100k/10m", help="members/contributions, e.g. 1k/20k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "plein-bench-dashboard",
        help="where the filled database is kept between runs (outside the repository)",
    )
    args = parser.parse_args(argv)
    members, contributions = (count(part) for part in args.size.split("/"))
    db_path, daily, weekly, filled = prepare(args.cache, members, contributions)
    figures = asyncio.run(run(db_path, args.runs))
    report(members, contributions, (daily, weekly, filled), figures, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
