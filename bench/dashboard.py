"""Dashboard benchmark: the overview and members pages at 100k members / 10M contributions.

    python bench/dashboard.py [--size 100k/10m] [--runs 3]

Fills a fresh SQLite database as bench/report.py does (members present since long before, the
contributions spread over 12 weeks with a power law over authors, `contribution_daily` built from
them), starts the real app (console adapter, simulated clock) with its web port, logs in with a
one-time link and times, over real HTTP on 127.0.0.1, median of `--runs`:
- GET /dashboard/overview and GET /dashboard/members (the goal: under 300 ms each), served from
  the page's figures snapshot (bot/features/dashboard/snapshots.py), and apart from those the
  first load after a start, which computes the snapshot (the report's figures);
- baseline from the same server in the same run: GET /dashboard/static/dashboard.css (a static
  file through the same ASGI bridge and session middleware) and GET /healthz (aiohttp alone).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bench.report import NOW, fill  # noqa: E402
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
    return first, statistics.median(samples) * 1000


async def run(directory: Path, members: int, contributions: int, runs: int) -> None:
    db_path = directory / "dashboard.db"
    env = {
        "PLEIN_STORAGE__URL": f"sqlite:///{db_path}",
        "PLEIN_COMMUNITY__TIMEZONE": "UTC",
        "PLEIN_WEB__ENABLED": "true",
        "PLEIN_WEB__PORT": "0",
        "PLEIN_DASHBOARD__SECRET": "bench",
    }
    config = parse_config(example_text(), "<bench>", env)

    async def app():  # type: ignore[no-untyped-def]
        return await build(
            config, ConsoleAdapter(config, lines=[], out=io.StringIO()), clock=ManualClock(NOW)
        )

    await (await app()).close()  # the schema, through the migrations
    began = time.perf_counter()
    daily, weekly = await asyncio.to_thread(fill, db_path, members, contributions)
    filled = time.perf_counter() - began

    plein = await app()
    web = WebPort.for_config(config, "console")
    assert web is not None
    port = await web.start(plein)
    base = f"http://127.0.0.1:{port}"
    token = await plein.features["dashboard"].access.new_link(NOW)
    try:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            login = f"{base}/dashboard/link/{token}"
            async with session.post(login, allow_redirects=False) as response:
                assert response.headers["Location"] == "/dashboard/overview", response.status
            cold_overview, overview = await timed_ms(session, f"{base}/dashboard/overview", runs)
            cold_members, listing = await timed_ms(session, f"{base}/dashboard/members", runs)
            _, static = await timed_ms(session, f"{base}/dashboard/static/dashboard.css", runs)
            _, health = await timed_ms(session, f"{base}/healthz", runs)
    finally:
        await web.stop()
        await plein.close()
    verdict = "within" if max(overview, listing) < GOAL_MS else "OVER"
    print(
        f"{members:,} members, {contributions:,} contributions ({daily:,} daily and {weekly:,} weekly rows, filled in "
        f"{filled:.1f}s), median of {runs}:\n"
        f"  overview {overview:7.1f} ms | members {listing:7.1f} ms  ({verdict} the "
        f"{GOAL_MS:.0f} ms goal; from the figures snapshot)\n"
        f"  first load after a start (computes the snapshot): overview {cold_overview:,.0f} ms, "
        f"members {cold_members:,.0f} ms\n"
        f"  baseline: static file {static:6.1f} ms, /healthz {health:6.1f} ms | "
        f"ratio overview/static {overview / max(static, 0.001):.1f}x, "
        f"members/static {listing / max(static, 0.001):.1f}x"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="100k/10m", help="members/contributions, e.g. 1k/20k")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    members, contributions = (count(part) for part in args.size.split("/"))
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(Path(tmp), members, contributions, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
