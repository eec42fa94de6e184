"""SQLite: a batch's statements in one trip to the connection's thread.

Every statement through SQLAlchemy is a trip to aiosqlite's thread and a turn of the event loop
to come back (storage/fused_sqlite.py); a batch's write (raw rows, daily, weekly, the roles of
the week, day kinds, strangers, totals: about ten statements) held SQLite's write turn for ten
turns of a loop busy with the message stream, and a `/kudos` (one contribution row) as long.
Here the rows are prepared in Python (storage/recognition_writer.py) and `apply` runs every
statement on the connection's own thread in one call, inside the caller's transaction. It
writes what `write_people` and the Core path write (tests/recognition/test_writer_handover.py
compares all the tables).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.week_people import people_and_kinds

_RAW = (
    "INSERT INTO contributions (member_id, kind, channel, at, day, length, ref, points) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_DAILY = (
    "INSERT INTO contribution_daily (day, member_id, kind, count, points) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (day, member_id, kind) DO UPDATE SET "
    "count = contribution_daily.count + excluded.count, "
    "points = contribution_daily.points + excluded.points"
)
_WEEKLY = (
    "INSERT INTO contribution_weekly (week, member_id, kind, count, points) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (week, member_id, kind) DO UPDATE SET "
    "count = contribution_weekly.count + excluded.count, "
    "points = contribution_weekly.points + excluded.points"
)
_TOTALS = (
    "INSERT INTO contribution_totals (period, member_id, points) VALUES (?, ?, ?) "
    "ON CONFLICT (period, member_id) DO UPDATE SET "
    "points = contribution_totals.points + excluded.points"
)
_PERSON_NEW = (
    "INSERT INTO contribution_week_people (week, role, member_id, days) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (week, role, member_id) DO NOTHING"
)
_PERSON_MORE = (
    "UPDATE contribution_week_people SET days = days | ? "
    "WHERE week = ? AND role = ? AND member_id = ? AND (days | ?) != days"
)
"""Only a new weekday writes: `days` is in the member index the report reads."""
_WEEK_COUNTS = (
    "INSERT INTO contribution_week_counts (week, role, members) VALUES (?, ?, ?) "
    "ON CONFLICT (week, role) DO UPDATE SET "
    "members = contribution_week_counts.members + excluded.members"
)
_DAY_KINDS = (
    "INSERT INTO contribution_day_kinds (day, kind, count) VALUES (?, ?, ?) "
    "ON CONFLICT (day, kind) DO UPDATE SET count = contribution_day_kinds.count + excluded.count"
)
_KNOWN = "SELECT id FROM members WHERE id IN ({marks})"
_STRANGER = "INSERT INTO contribution_unregistered (member_id) VALUES (?) ON CONFLICT DO NOTHING"
_IN_LIST = 500
"""Ids per `IN (...)` look-up (SQLite's default limit is 32,766 parameters)."""


@dataclass
class Batch:
    """A batch's rows and aggregates as SQLite parameters (dates as ISO text)."""

    raw: list[tuple[Any, ...]]
    daily: list[tuple[Any, ...]]
    weekly: list[tuple[Any, ...]]
    totals: list[tuple[Any, ...]]
    people: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """(week, role, member) -> the bits of the weekdays they were active."""
    day_kinds: list[tuple[str, str, int]] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)


def add_people(batch: Batch, daily: list[tuple[date, str, str, int]]) -> None:
    """The roles of the week and the day kinds of (day, member, kind, count) rows, as
    `storage/week_people.write_people` writes them."""
    people, kinds = people_and_kinds(daily)
    if kinds:
        batch.people = {(w.isoformat(), r, m): bits for (w, r, m), bits in people.items()}
        batch.day_kinds = [(d.isoformat(), k, n) for (d, k), n in sorted(kinds.items())]
        batch.member_ids = sorted({member for _, _, member in people})


async def apply(conn: AsyncConnection, batch: Batch) -> None:
    """Run the batch's statements on the connection's thread, in its open transaction."""
    raw = await conn.get_raw_connection()
    driver: Any = raw.driver_connection  # aiosqlite's connection (storage/fused_sqlite.py)
    await driver._execute(_apply, driver._conn, batch)


def _apply(db: sqlite3.Connection, batch: Batch) -> None:
    db.executemany(_RAW, batch.raw)
    db.executemany(_DAILY, batch.daily)
    db.executemany(_WEEKLY, batch.weekly)
    if batch.day_kinds:
        _people(db, batch.people)
        db.executemany(_DAY_KINDS, batch.day_kinds)
        _strangers(db, batch.member_ids)
    if batch.totals:
        db.executemany(_TOTALS, batch.totals)


def _people(db: sqlite3.Connection, people: dict[tuple[str, str, str], int]) -> None:
    new: Counter[tuple[str, str]] = Counter()
    for key in sorted(people):  # the order write_people uses
        week, role, member = key
        if db.execute(_PERSON_NEW, (week, role, member, people[key])).rowcount == 1:
            new[(week, role)] += 1
        else:
            days = people[key]
            db.execute(_PERSON_MORE, (days, week, role, member, days))
    if new:
        db.executemany(_WEEK_COUNTS, [(w, r, n) for (w, r), n in sorted(new.items())])


def _strangers(db: sqlite3.Connection, ids: list[str]) -> None:
    known: set[str] = set()
    for start in range(0, len(ids), _IN_LIST):
        chunk = ids[start : start + _IN_LIST]
        marks = ", ".join("?" * len(chunk))
        known.update(row[0] for row in db.execute(_KNOWN.format(marks=marks), chunk))
    db.executemany(_STRANGER, [(m,) for m in ids if m not in known])
