"""The hot write path: raw contribution rows plus their aggregates, in the caller's transaction.

On SQLite the rows go through the driver's executemany with pre-rendered values (the same text
SQLAlchemy writes for DATETIME/DATE columns), which is close to raw sqlite3 speed, and all of a
batch's statements in one trip to the connection's thread (storage/recognition_fused.py). Other
dialects (PostgreSQL) use SQLAlchemy Core with the dialect's INSERT ... ON CONFLICT DO UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.recognition.periods import period_keys
from bot.features.recognition.ports import ContributionRow
from storage.recognition_fused import Batch, add_people, apply
from storage.recognition_tables import (
    contribution_daily,
    contribution_totals,
    contribution_weekly,
    contributions,
)
from storage.schema import conflict_insert
from storage.week_people import write_people


def aggregate(
    rows: Sequence[ContributionRow],
) -> tuple[dict[tuple[str, date, str], list[int]], dict[tuple[str, str], int]]:
    """Daily (member, day, kind) -> [count, points]; totals (period, member) -> points (non-zero)."""
    daily: dict[tuple[str, date, str], list[int]] = {}
    earned: dict[tuple[str, date], int] = {}
    for member, kind, _channel, _at, _length, _ref, points, day in rows:
        key = (member, day, kind)
        slot = daily.get(key)
        if slot is None:
            daily[key] = [1, points]
        else:
            slot[0] += 1
            slot[1] += points
        if points:
            pair = (member, day)
            earned[pair] = earned.get(pair, 0) + points
    return daily, _totals(earned)


def week_of_day(day: date) -> date:
    """The Monday of the local week `day` (already a local day) falls in."""
    return day - timedelta(days=day.weekday())


def weekly(
    daily: dict[tuple[str, date, str], list[int]],
) -> dict[tuple[str, date, str], list[int]]:
    """Daily (member, day, kind) -> [count, points] summed into (member, week, kind)."""
    out: dict[tuple[str, date, str], list[int]] = {}
    for (member, day, kind), (count, points) in daily.items():
        key = (member, week_of_day(day), kind)
        slot = out.get(key)
        if slot is None:
            out[key] = [count, points]
        else:
            slot[0] += count
            slot[1] += points
    return out


def _totals(earned: dict[tuple[str, date], int]) -> dict[tuple[str, str], int]:
    """(member, day) -> points earned into (period, member) -> points (non-zero)."""
    totals: dict[tuple[str, str], int] = {}
    for (member, day), points in earned.items():
        for period in period_keys(day):
            key2 = (period, member)
            totals[key2] = totals.get(key2, 0) + points
    return {k: v for k, v in totals.items() if v}


def _at_text(moment: datetime) -> str:
    """A datetime as SQLite's SQLAlchemy storage text (UTC)."""
    utc = moment.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}"
    )


async def write_rows(conn: AsyncConnection, rows: Sequence[ContributionRow]) -> None:
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        await _write_sqlite(conn, rows)
    else:
        daily, totals = aggregate(rows)
        await _write_core(conn, rows, daily, totals)


async def _write_sqlite(conn: AsyncConnection, rows: Sequence[ContributionRow]) -> None:
    """One pass renders the raw rows and aggregates them (what `aggregate` computes, keyed by the
    day's text); runs of equal moments and days are rendered once."""
    raw: list[tuple[Any, ...]] = []
    append = raw.append
    daily: dict[tuple[str, str, str], list[int]] = {}
    earned: dict[tuple[str, date], int] = {}
    day_texts: dict[date, str] = {}
    week_texts: dict[str, str] = {}
    last_at: datetime | None = None
    at_text = ""
    for member, kind, channel, moment, length, ref, points, day in rows:
        if moment is not last_at and moment != last_at:
            last_at, at_text = moment, _at_text(moment)
        day_text = day_texts.get(day)
        if day_text is None:
            day_text = day_texts[day] = day.isoformat()
        append((member, kind, channel, at_text, day_text, length, ref, points))
        key = (day_text, member, kind)
        slot = daily.get(key)
        if slot is None:
            daily[key] = [1, points]
        else:
            slot[0] += 1
            slot[1] += points
        if points:
            pair = (member, day)
            earned[pair] = earned.get(pair, 0) + points
    weeks: dict[tuple[str, str, str], list[int]] = {}
    for (day_text, member, kind), (count, points) in daily.items():
        week_text = week_texts.get(day_text)
        if week_text is None:
            week_text = week_texts[day_text] = week_of_day(date.fromisoformat(day_text)).isoformat()
        wkey = (week_text, member, kind)
        wslot = weeks.get(wkey)
        if wslot is None:
            weeks[wkey] = [count, points]
        else:
            wslot[0] += count
            wslot[1] += points
    batch = Batch(
        raw=raw,
        daily=[(*key, *slot) for key, slot in daily.items()],
        weekly=[(*key, *slot) for key, slot in weeks.items()],
        totals=[(p, m, v) for (p, m), v in _totals(earned).items()],
    )
    day_of = {text: day for day, text in day_texts.items()}
    add_people(batch, [(day_of[t], m, k, slot[0]) for (t, m, k), slot in daily.items()])
    await apply(conn, batch)  # every statement in one trip to the connection's thread


async def _write_core(
    conn: AsyncConnection,
    rows: Sequence[ContributionRow],
    daily: dict[tuple[str, date, str], list[int]],
    totals: dict[tuple[str, str], int],
) -> None:
    """Portable path (PostgreSQL; also exercised on SQLite by the tests)."""
    await conn.execute(
        insert(contributions),
        [
            {
                "member_id": m,
                "kind": k,
                "channel": c,
                "at": a,
                "day": d,
                "length": n,
                "ref": r,
                "points": p,
            }
            for m, k, c, a, n, r, p, d in rows
        ],
    )
    upsert = conflict_insert(conn.dialect.name)
    stmt = upsert(contribution_daily)
    stmt = stmt.on_conflict_do_update(
        index_elements=["day", "member_id", "kind"],
        set_={
            "count": contribution_daily.c.count + stmt.excluded.count,
            "points": contribution_daily.c.points + stmt.excluded.points,
        },
    )
    await conn.execute(
        stmt,
        [
            {"member_id": m, "day": d, "kind": k, "count": v[0], "points": v[1]}
            for (m, d, k), v in daily.items()
        ],
    )
    wstmt = upsert(contribution_weekly)
    wstmt = wstmt.on_conflict_do_update(
        index_elements=["week", "member_id", "kind"],
        set_={
            "count": contribution_weekly.c.count + wstmt.excluded.count,
            "points": contribution_weekly.c.points + wstmt.excluded.points,
        },
    )
    await conn.execute(
        wstmt,
        [
            {"member_id": m, "week": w, "kind": k, "count": v[0], "points": v[1]}
            for (m, w, k), v in weekly(daily).items()
        ],
    )
    await write_people(conn, [(d, m, k, v[0]) for (m, d, k), v in daily.items()])
    if totals:
        tstmt = upsert(contribution_totals)
        tstmt = tstmt.on_conflict_do_update(
            index_elements=["period", "member_id"],
            set_={"points": contribution_totals.c.points + tstmt.excluded.points},
        )
        await conn.execute(
            tstmt, [{"period": p, "member_id": m, "points": v} for (p, m), v in totals.items()]
        )


async def write_rows_portable(conn: AsyncConnection, rows: Sequence[ContributionRow]) -> None:
    """The Core path regardless of dialect (tests compare it with the SQLite fast path)."""
    if rows:
        daily, totals = aggregate(rows)
        await _write_core(conn, rows, daily, totals)
