"""Report benchmark: the weekly report and its chart at 10k ... 10M contributions.

    python bench/report.py [--members 100000] [--sizes 10k,100k,1m,10m] [--runs 3]

For each size it fills a fresh SQLite database (schema from the real migrations): `--members`
members present since long before the period, and N raw contributions spread evenly over the last
12 weeks (ids grow with time, authors follow a power law, kinds a fixed mix) with SQLite's own
INSERT ... SELECT over a recursive counter; `contribution_daily` is then built with one
INSERT ... SELECT ... GROUP BY, which is exactly what the recognition writer keeps row by row,
and `contribution_weekly` from it the same way.
1% of the members joined during the 12 weeks (newcomers, for cohorts and help to newcomers). The
health aggregates are built the same way from the raw rows: every reply and reaction touches a
member drawn by the same power law (pairs per week, two-way connections), distinct members per
hour of the week, and one question per 50 posts, most answered within hours.

It times, median of `--runs`:
- report figures: the week, the week before, the ambassador candidates (with help to
  newcomers), the health figures and the chart data (12 weeks, ladder, cohorts, heatmap),
  computed as the report service does (figures only);
- the same figures read from the daily rows only (the report before the weekly aggregate:
  `whole_weeks=False`), for the ratio;
- the same without the health figures (the report before issue 18);
- /report end to end: the command dispatched to the real app (console adapter, simulated clock),
  with the chart rendered;
- baselines in the same database: one plain indexed COUNT over the week's daily aggregate rows,
  and the old query shape - one GROUP BY over the raw `contributions` on the unindexed `at`
  (the old report ran about 15 of those).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.console import ConsoleAdapter  # noqa: E402
from bot.app import Plein, build  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import example_text, parse_config  # noqa: E402
from bot.events import Actor, CommandInvoked, Interaction  # noqa: E402
from bot.features.report.facts import CREATE_KINDS, OWN_KINDS  # noqa: E402
from bot.features.report.figures import ambassador_candidates, chart_series, compute  # noqa: E402
from bot.features.report.health_figures import chart_data, compute_health  # noqa: E402
from bot.features.report.weeks import span_ending  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.report import SqlCommunityFacts  # noqa: E402

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
LAST_DAY = date(2026, 3, 29)
DAYS = 84
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}

KIND_BY_DRAW = (
    "CASE WHEN d < 4 THEN 'message' WHEN d < 10 THEN 'reply' WHEN d < 17 THEN 'reaction_given' "
    "WHEN d < 18 THEN 'vote' ELSE 'reaction_received' END"
)


def fill(db_path: Path, members: int, contributions: int) -> tuple[int, int]:
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    long_ago = "2024-01-01 00:00:00.000000"
    with conn:
        conn.executemany(
            "INSERT INTO members (id, name, is_bot, first_joined_at, joined_at, left_at, "
            "join_count) VALUES (?, ?, 0, ?, ?, NULL, 1)",
            ((f"console:m{k}", f"m{k}", long_ago, long_ago) for k in range(members)),
        )
        # 1% newcomers: joined during the 12 weeks, evenly spread.
        start_text = datetime.combine(LAST_DAY - timedelta(days=DAYS - 1), datetime.min.time())
        for k in range(0, members, 100):
            joined = start_text + timedelta(seconds=DAYS * 86_400 * k / members)
            text = joined.strftime("%Y-%m-%d %H:%M:%S.%f")
            conn.execute(
                "UPDATE members SET first_joined_at = ?, joined_at = ? WHERE id = ?",
                (text, text, f"console:m{k}"),
            )
    start = datetime.combine(LAST_DAY - timedelta(days=DAYS - 1), datetime.min.time())
    step = DAYS * 86_400 / contributions
    with conn:
        # A power law over members (the cube of a uniform draw), a fixed mix of kinds, and times
        # rising with the id, as the writer appends them.
        conn.execute(
            f"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
            draws AS (
                SELECT i, (abs(random()) % 1000000) / 1000000.0 AS r, abs(random()) % 20 AS d
                FROM n
            ),
            timed AS (
                SELECT i, r, d, datetime(?, '+' || CAST(i * ? AS INTEGER) || ' seconds') AS t
                FROM draws
            )
            INSERT INTO contributions (member_id, kind, channel, at, day, length, ref, points)
            SELECT 'console:m' || CAST(r * r * r * ? AS INTEGER), {KIND_BY_DRAW}, 'general',
                   t || '.000000', date(t), 20, NULL, 1
            FROM timed
            """,
            (contributions - 1, start.isoformat(sep=" "), step, members),
        )
        conn.execute(
            "INSERT INTO contribution_daily (day, member_id, kind, count, points) "
            "SELECT day, member_id, kind, count(*), sum(points) FROM contributions "
            "GROUP BY day, member_id, kind"
        )
        conn.execute(
            f"INSERT INTO contribution_weekly (week, member_id, kind, count, points) "
            f"SELECT {WEEK_OF} AS week, member_id, kind, sum(count), sum(points) "
            "FROM contribution_daily GROUP BY 1, member_id, kind"
        )
    with conn:
        fill_people(conn)
    with conn:
        fill_health(conn, members)
    daily = conn.execute("SELECT count(*) FROM contribution_daily").fetchone()[0]
    weekly = conn.execute("SELECT count(*) FROM contribution_weekly").fetchone()[0]
    conn.execute("ANALYZE")
    conn.close()
    return int(daily), int(weekly)


WEEK_OF = "date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days')"


WEEKDAY_OF = "((CAST(strftime('%w', day) AS INTEGER) + 6) % 7)"
ROLE_KINDS = {
    "active": ", ".join(f"'{kind}'" for kind in sorted(OWN_KINDS)),
    "creator": ", ".join(f"'{kind}'" for kind in sorted(CREATE_KINDS)),
    "voter": "'vote'",
}


def fill_people(conn: sqlite3.Connection) -> None:
    """The week-people rows, counts and per-day kind totals the writer keeps (storage/week_people.py),
    built from the daily rows as migration 0022 does."""
    for role, kinds in ROLE_KINDS.items():
        conn.execute(
            "INSERT INTO contribution_week_people (week, role, member_id, days) "
            f"SELECT week, '{role}', member_id, sum(bit) FROM ("
            f"SELECT DISTINCT {WEEK_OF} AS week, member_id, 1 << {WEEKDAY_OF} AS bit "
            f"FROM contribution_daily WHERE kind IN ({kinds})) GROUP BY week, member_id"
        )
    conn.execute(
        "INSERT INTO contribution_week_counts (week, role, members) "
        "SELECT week, role, count(*) FROM contribution_week_people GROUP BY week, role"
    )
    conn.execute(
        "INSERT INTO contribution_day_kinds (day, kind, count) "
        "SELECT day, kind, sum(count) FROM contribution_daily GROUP BY day, kind"
    )


def fill_health(conn: sqlite3.Connection, members: int) -> None:
    """The health aggregates the ingest keeps, built from the raw rows in bulk."""
    conn.execute(
        f"""
        WITH touches AS MATERIALIZED (
            SELECT {WEEK_OF} AS week, member_id AS from_id, kind,
                   'console:m' || CAST(((abs(random()) % 1000000) / 1000000.0) *
                       ((abs(random()) % 1000000) / 1000000.0) * ? AS INTEGER) AS to_id
            FROM contributions WHERE kind IN ('reply', 'reaction_given')
        )
        INSERT INTO health_pairs (week, from_id, to_id, replies, reactions)
        SELECT week, from_id, to_id, sum(kind = 'reply'), sum(kind = 'reaction_given')
        FROM touches GROUP BY week, from_id, to_id
        """,
        (members,),
    )
    conn.execute("DELETE FROM health_pairs WHERE from_id = to_id")
    conn.execute(
        """
        INSERT OR IGNORE INTO health_connected (week, member_id)
        SELECT p.week, p.from_id FROM health_pairs p JOIN health_pairs q
          ON q.week = p.week AND q.from_id = p.to_id AND q.to_id = p.from_id
        """
    )
    conn.execute(
        f"""
        INSERT INTO health_hour_counts (week, slot, members)
        SELECT {WEEK_OF} AS week,
               ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) * 24
                 + CAST(strftime('%H', substr(at, 1, 19)) AS INTEGER) AS slot,
               count(DISTINCT member_id)
        FROM contributions WHERE kind != 'reaction_received' GROUP BY 1, 2
        """
    )
    conn.execute(
        """
        INSERT INTO health_asks (ref, kind, author_id, channel, asked_at, answered_at, answered_by)
        SELECT 'q' || id, 'question', member_id, 'vragen', at,
               CASE WHEN id % 5 = 0 THEN NULL
                    ELSE strftime('%Y-%m-%d %H:%M:%f', at, '+' || (id % 600) || ' minutes') END,
               CASE WHEN id % 5 = 0 THEN NULL ELSE 'console:m1' END
        FROM contributions WHERE kind = 'message' AND id % 50 = 0
        """
    )


async def median_ms(runs: int, work: Callable[[], Awaitable[object]]) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def baselines(db_path: Path, runs: int) -> tuple[float, float]:
    conn = sqlite3.connect(db_path)
    first = (LAST_DAY - timedelta(days=6)).isoformat()
    since = f"{first} 00:00:00.000000"
    until = f"{(LAST_DAY + timedelta(days=1)).isoformat()} 00:00:00.000000"

    def timed(sql: str, args: tuple[str, str]) -> float:
        samples = []
        for _ in range(runs):
            began = time.perf_counter()
            conn.execute(sql, args).fetchall()
            samples.append(time.perf_counter() - began)
        return statistics.median(samples) * 1000

    count = timed(
        "SELECT count(*) FROM contribution_daily WHERE day >= ? AND day <= ?",
        (first, LAST_DAY.isoformat()),
    )
    old = timed(
        "SELECT member_id, kind, count(*) FROM contributions WHERE at >= ? AND at < ? "
        "GROUP BY member_id, kind",
        (since, until),
    )
    conn.close()
    return count, old


async def figures_once(facts: SqlCommunityFacts) -> None:
    """What ReportService.build + chart read for the weekly job (no text, no PNG)."""
    week = span_ending(LAST_DAY, 7, UTC_ZONE, NOW)
    await compute(facts, week, UTC_ZONE)
    await compute(facts, span_ending(LAST_DAY - timedelta(days=7), 7, UTC_ZONE, NOW), UTC_ZONE)
    await ambassador_candidates(
        facts, week, weeks=4, min_weeks=3, limit=5, health=facts, newcomer_days=30
    )
    await compute_health(facts, week, UTC_ZONE, answer_within=timedelta(hours=4), newcomer_days=30)
    await chart_data(facts, facts, LAST_DAY, UTC_ZONE, NOW, max_weeks=12, goal_share=33)


async def figures_before_health(facts: SqlCommunityFacts) -> None:
    """The same reads as the report made before the health figures (the ratio's baseline)."""
    week = span_ending(LAST_DAY, 7, UTC_ZONE, NOW)
    await compute(facts, week, UTC_ZONE)
    await compute(facts, span_ending(LAST_DAY - timedelta(days=7), 7, UTC_ZONE, NOW), UTC_ZONE)
    await ambassador_candidates(facts, week, weeks=4, min_weeks=3, limit=5)
    await chart_series(facts, LAST_DAY, 12, UTC_ZONE, NOW)


async def one_size(directory: Path, members: int, contributions: int, runs: int) -> None:
    db_path = directory / f"report-{contributions}.db"
    config = parse_config(
        example_text(),
        "<bench>",
        {"PLEIN_STORAGE__URL": f"sqlite:///{db_path}", "PLEIN_COMMUNITY__TIMEZONE": "UTC"},
    )

    out = io.StringIO()

    async def app() -> Plein:
        adapter = ConsoleAdapter(config, lines=[], out=out)
        plein = await build(config, adapter, clock=ManualClock(NOW))
        adapter.host = plein
        return plein

    await (await app()).close()  # creates the schema through the migrations
    began = time.perf_counter()
    daily, weekly = await asyncio.to_thread(fill, db_path, members, contributions)
    filled = time.perf_counter() - began

    db = Database.from_url(f"sqlite:///{db_path}")
    facts = SqlCommunityFacts(db)
    figures = await median_ms(runs, lambda: figures_once(facts))
    before = await median_ms(runs, lambda: figures_before_health(facts))
    daily_only = SqlCommunityFacts(db)
    daily_only.whole_weeks = False
    from_days = await median_ms(runs, lambda: figures_once(daily_only))
    await db.close()

    plein = await app()
    await plein.ready()
    manager = Actor("console:anna", "anna", is_manager=True)

    async def report() -> None:
        await plein.dispatch(
            CommandInvoked(
                actor=manager,
                path=("report",),
                options={},
                interaction=Interaction("i", "bestuur"),
            )
        )

    end_to_end = await median_ms(runs, report)
    await plein.close()
    replies = out.getvalue().count("[file]")
    if replies < runs:  # the weekly job may add one more; every /report must have answered
        raise SystemExit(f"/report did not answer with its chart ({replies} of {runs})")
    count, old = await asyncio.to_thread(baselines, db_path, runs)
    print(
        f"{contributions:>11,} contributions ({daily:,} daily rows, {weekly:,} weekly rows, "
        f"filled in {filled:.1f}s): report figures {figures:7.1f} ms (from daily rows only "
        f"{from_days:7.1f} ms, ratio {figures / max(from_days, 0.001):.2f}x; without health "
        f"{before:7.1f} ms) | /report end to end {end_to_end:7.1f} ms | "
        f"baseline: indexed COUNT {count:6.1f} ms, old query shape (1 scan) {old:7.1f} ms | "
        f"figures/COUNT ratio {figures / max(count, 0.001):.1f}x"
    )


def parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        key = part.strip().lower()
        out.append(SIZES[key] if key in SIZES else int(key))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--sizes", default="10k,100k,1m,10m", help="contributions per run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"report benchmark: {args.members:,} members, contributions over {DAYS} days")
    with tempfile.TemporaryDirectory() as tmp:
        for size in parse_sizes(args.sizes):
            asyncio.run(one_size(Path(tmp), args.members, size, args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
