"""The report benchmark's database: members and the aggregate tables of N contributions, built
with set-based SQL, and a cache of filled databases between runs (bench/report.py --cache DIR).

N contributions are drawn once into a scratch table (an attached file, deleted afterwards:
member by a power law - the cube of a uniform draw -, kind from a fixed mix, time rising with
the draw's number over the 12 weeks) and the tables the report reads are built from it with
INSERT ... SELECT ... GROUP BY, which is what the recognition writer and the health ingest keep
row by row: `contribution_daily` (per day, member and kind), `contribution_weekly`, the
week-people rows and counts, the per-day kind totals, and the health aggregates (pairs per week
- every reply and reaction touches a member drawn by the same power law -, two-way connections,
distinct members per hour of the week, one question per 50 posts, most answered within hours).
The raw `contributions` table stays empty: the report never reads it (with `raw_retention` a
real community keeps only recent raw rows), and writing 10M rows through its indexes was most of
the old fill's 20+ minutes.

The fill runs with `journal_mode=OFF` and `synchronous=OFF` in one transaction per table: a
crash leaves a broken file, which is why a cached database is filled under a temporary name and
renamed when complete.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.features.report.facts import CREATE_KINDS, OWN_KINDS

LAST_DAY = date(2026, 3, 29)  # a Sunday
DAYS = 84
FIRST_DAY = LAST_DAY - timedelta(days=DAYS - 1)  # a Monday: week w is days 7w .. 7w+6
FILL_VERSION = 2
"""Part of the cache key: raise it when the fill changes what it writes."""

KINDS = ("message", "reply", "reaction_given", "vote", "reaction_received")
KIND_OF_DRAW = (  # a draw d in 0..19 -> index into KINDS (20%, 30%, 35%, 5%, 10%)
    "CASE WHEN d < 4 THEN 0 WHEN d < 10 THEN 1 WHEN d < 17 THEN 2 WHEN d < 18 THEN 3 ELSE 4 END"
)
KIND_NAME = "CASE k " + " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(KINDS)) + " END"
MEMBER = "('console:m' || {})"
ROLE_KINDS = {
    "active": [i for i, kind in enumerate(KINDS) if kind in OWN_KINDS],
    "creator": [i for i, kind in enumerate(KINDS) if kind in CREATE_KINDS],
    "voter": [KINDS.index("vote")],
}


def day_text(days: str) -> str:
    return f"date('{FIRST_DAY.isoformat()}', '+' || ({days}) || ' days')"


def schema_head() -> str:
    from alembic.script import ScriptDirectory

    from storage.revisions import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def cache_name(members: int, contributions: int) -> str:
    return f"report-{members}m-{contributions}c-{schema_head()}-f{FILL_VERSION}.db"


def cached(cache: Path, members: int, contributions: int) -> Path | None:
    path = cache / cache_name(members, contributions)
    return path if path.exists() else None


def keep(cache: Path, filled: Path, members: int, contributions: int) -> None:
    """Copy a filled database into the cache (under a temporary name, then renamed)."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / cache_name(members, contributions)
    partial = target.with_suffix(".partial")
    shutil.copyfile(filled, partial)
    partial.replace(target)


def fill(db_path: Path, members: int, contributions: int) -> None:
    """Fill a migrated, empty database."""
    scratch = db_path.with_name(db_path.name + ".scratch")
    scratch.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-262144")  # 256 MiB for the sorts
        conn.execute(f"ATTACH '{scratch}' AS s")
        conn.execute("PRAGMA s.journal_mode=OFF")
        conn.execute("PRAGMA s.synchronous=OFF")
        for step in (fill_members, fill_draws, fill_aggregates, fill_health):
            conn.execute("BEGIN")
            step(conn, members, contributions)
            conn.execute("COMMIT")
        conn.execute("DETACH s")
        conn.execute("ANALYZE")
    finally:
        conn.close()
        scratch.unlink(missing_ok=True)


def counts(db_path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db_path)
    try:
        daily = conn.execute("SELECT count(*) FROM contribution_daily").fetchone()[0]
        weekly = conn.execute("SELECT count(*) FROM contribution_weekly").fetchone()[0]
    finally:
        conn.close()
    return int(daily), int(weekly)


def fill_members(conn: sqlite3.Connection, members: int, _contributions: int) -> None:
    """`members` present since long before the period; 1% joined during the 12 weeks."""
    long_ago = "2024-01-01 00:00:00.000000"
    start = datetime.combine(FIRST_DAY, datetime.min.time())
    seconds = DAYS * 86_400

    def joined(k: int) -> str:
        if k % 100:
            return long_ago
        return (start + timedelta(seconds=seconds * k / members)).strftime("%Y-%m-%d %H:%M:%S.%f")

    conn.executemany(
        "INSERT INTO members (id, name, is_bot, first_joined_at, joined_at, left_at, "
        "join_count) VALUES (?, ?, 0, ?, ?, NULL, 1)",
        ((f"console:m{k}", f"m{k}", joined(k), joined(k)) for k in range(members)),
    )


def fill_draws(conn: sqlite3.Connection, members: int, contributions: int) -> None:
    """s.raw(m, k, sec): member number, kind index, seconds since the first day; then
    s.daily(di, m, k, n): the same per day index."""
    step = DAYS * 86_400 / contributions
    conn.execute("CREATE TABLE s.raw (m INTEGER, k INTEGER, sec INTEGER)")
    conn.execute(
        f"""
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
        draws AS MATERIALIZED (  -- each draw once (a flattened CTE would draw r per use)
            SELECT i, (abs(random()) % 1000000) / 1000000.0 AS r, abs(random()) % 20 AS d FROM n
        )
        INSERT INTO s.raw (m, k, sec)
        SELECT CAST(r * r * r * ? AS INTEGER), {KIND_OF_DRAW}, CAST(i * ? AS INTEGER) FROM draws
        """,
        (contributions - 1, members, step),
    )
    conn.execute("CREATE TABLE s.daily (di INTEGER, m INTEGER, k INTEGER, n INTEGER)")
    conn.execute(
        "INSERT INTO s.daily SELECT sec / 86400, m, k, count(*) FROM s.raw GROUP BY 1, 2, 3"
    )


def fill_aggregates(conn: sqlite3.Connection, _members: int, _contributions: int) -> None:
    """What the recognition writer keeps: daily and weekly rows, week-people rows and counts,
    per-day kind totals (inserted in primary-key order: far faster than random order)."""
    member = MEMBER.format("m")
    conn.execute(
        "INSERT INTO contribution_daily (day, member_id, kind, count, points) "
        f"SELECT {day_text('di')}, {member}, {KIND_NAME}, n, n FROM s.daily ORDER BY 1, 2, 3"
    )
    conn.execute(
        "INSERT INTO contribution_weekly (week, member_id, kind, count, points) "
        f"SELECT {day_text('w * 7')}, {member}, {KIND_NAME}, sum(n), sum(n) FROM "
        "(SELECT di / 7 AS w, m, k, n FROM s.daily) GROUP BY w, m, k ORDER BY 1, 2, 3"
    )
    for role, kinds in ROLE_KINDS.items():
        listed = ", ".join(str(k) for k in kinds)
        conn.execute(
            "INSERT INTO contribution_week_people (week, role, member_id, days) "
            f"SELECT {day_text('w * 7')}, '{role}', {member}, sum(bit) FROM ("
            "SELECT DISTINCT di / 7 AS w, m, 1 << (di % 7) AS bit FROM s.daily "
            f"WHERE k IN ({listed})) GROUP BY w, m ORDER BY 1, 3"
        )
    conn.execute(
        "INSERT INTO contribution_week_counts (week, role, members) "
        "SELECT week, role, count(*) FROM contribution_week_people GROUP BY week, role"
    )
    conn.execute(
        "INSERT INTO contribution_day_kinds (day, kind, count) "
        f"SELECT {day_text('di')}, {KIND_NAME}, sum(n) FROM s.daily GROUP BY di, k"
    )


def fill_health(conn: sqlite3.Connection, members: int, _contributions: int) -> None:
    """The health aggregates the ingest keeps."""
    reply, reaction = KINDS.index("reply"), KINDS.index("reaction_given")
    conn.execute("CREATE TABLE s.pairs (w INTEGER, f INTEGER, t INTEGER, rp INTEGER, rc INTEGER)")
    conn.execute(
        f"""
        WITH touches AS MATERIALIZED (
            SELECT sec / 604800 AS w, m AS f, k,
                   CAST(((abs(random()) % 1000000) / 1000000.0) *
                        ((abs(random()) % 1000000) / 1000000.0) * ? AS INTEGER) AS t
            FROM s.raw WHERE k IN ({reply}, {reaction})
        )
        INSERT INTO s.pairs
        SELECT w, f, t, sum(k = {reply}), sum(k = {reaction}) FROM touches
        WHERE f != t GROUP BY w, f, t
        """,
        (members,),
    )
    conn.execute(
        "INSERT INTO health_pairs (week, from_id, to_id, replies, reactions) "
        f"SELECT {day_text('w * 7')}, {MEMBER.format('f')}, {MEMBER.format('t')}, rp, rc "
        "FROM s.pairs ORDER BY 1, 2, 3"
    )
    conn.execute("CREATE INDEX s.pairs_key ON pairs (w, f, t)")
    conn.execute(
        "INSERT INTO health_connected (week, member_id) "
        f"SELECT {day_text('w * 7')}, {MEMBER.format('f')} FROM ("
        "SELECT DISTINCT p.w, p.f FROM s.pairs p WHERE EXISTS "
        "(SELECT 1 FROM s.pairs q WHERE q.w = p.w AND q.f = p.t AND q.t = p.f)) ORDER BY 1, 2"
    )
    conn.execute(
        "INSERT INTO health_hour_counts (week, slot, members) "
        f"SELECT {day_text('w * 7')}, slot, count(DISTINCT m) FROM ("
        "SELECT sec / 604800 AS w, (sec % 604800) / 3600 AS slot, m FROM s.raw "
        f"WHERE k != {KINDS.index('reaction_received')}) GROUP BY w, slot"
    )
    asked = f"datetime('{FIRST_DAY.isoformat()}', '+' || sec || ' seconds')"
    conn.execute(
        f"""
        INSERT INTO health_asks (ref, kind, author_id, channel, asked_at, answered_at, answered_by)
        SELECT 'q' || rowid, 'question', {MEMBER.format("m")}, 'vragen', {asked} || '.000000',
               CASE WHEN rowid % 5 = 0 THEN NULL
                    ELSE datetime({asked}, '+' || (rowid % 600) || ' minutes') || '.000000' END,
               CASE WHEN rowid % 5 = 0 THEN NULL ELSE 'console:m1' END
        FROM s.raw WHERE k = {KINDS.index("message")} AND rowid % 50 = 0
        """
    )
