"""A period's contribution rows from the aggregates: whole local weeks from `contribution_weekly`,
the days around them from `contribution_daily`.

A period [first, last] of local days splits into the Monday-to-Sunday weeks it covers entirely
and up to six days on either side; the rows of both tables together sum to exactly what the
daily rows of the period sum to, so every count the report makes is unchanged. A week-aligned
period (the weekly report, its chart and the ambassadors' 4 weeks) reads weekly rows only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, Subquery, Table, and_, literal, or_, select, union_all

from bot.features.report.facts import ReportDataError
from storage.schema import metadata

COLUMNS = ("member_id", "kind", "count", "points")


def table(name: str, *columns: str) -> Table | None:
    """A feature's table looked up at query time: None when that feature is not part of this
    Plein, a ReportDataError when it lacks a column the report reads (never a zero)."""
    found = metadata.tables.get(name)
    if found is None:
        return None
    missing = [col for col in columns if col not in found.c]
    if missing:
        raise ReportDataError(name, f"table has no column {', '.join(missing)}")
    return found


def daily_table() -> Table | None:
    return table("contribution_daily", "day", *COLUMNS)


def weekly_table() -> Table | None:
    return table("contribution_weekly", "week", *COLUMNS)


def full_weeks(first: date, last: date) -> tuple[date, date] | None:
    """The first and last Monday of the whole weeks inside [first, last], if any."""
    monday = first + timedelta(days=-first.weekday() % 7)
    last_monday = last - timedelta(days=(last.weekday() + 1) % 7 + 6)
    return (monday, last_monday) if monday <= last_monday else None


def _every(first: date, last: date, step: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(0, (last - first).days + 1, step)]


def _selects(
    first: date,
    last: date,
    tag: int,
    kinds: list[str] | None,
    whole_weeks: bool,
    members: list[str] | None = None,
) -> list[Select[Any]]:
    d = daily_table()
    w = weekly_table()
    if d is None:
        return []

    def from_table(t: Table, where: Any) -> Select[Any]:
        query = select(
            t.c.member_id.label("member_id"),
            t.c.kind.label("kind"),
            t.c.count.label("count"),
            t.c.points.label("points"),
            literal(tag).label("tag"),
        ).where(where)
        if members is not None:
            query = query.where(t.c.member_id.in_(members))
        return query if kinds is None else query.where(t.c.kind.in_(kinds))

    def within(column: Any, start: date, end: date, step: int = 1) -> Any:
        """A range of days; for a few members the days (or Mondays) as a list, so that the
        primary key (day or week, member_id, kind) finds each member's rows."""
        if members is not None:
            return column.in_(_every(start, end, step))
        return and_(column >= start, column <= end)

    weeks = full_weeks(first, last) if w is not None and whole_weeks else None
    if weeks is None or w is None:
        return [from_table(d, within(d.c.day, first, last))]
    monday, last_monday = weeks
    out = [from_table(w, within(w.c.week, monday, last_monday, 7))]
    before = within(d.c.day, first, monday - timedelta(days=1)) if first < monday else None
    after_first = last_monday + timedelta(days=7)
    after = within(d.c.day, after_first, last) if after_first <= last else None
    edges = [edge for edge in (before, after) if edge is not None]
    if edges:
        out.append(from_table(d, or_(*edges)))
    return out


def joined(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Disjoint periods with each run of adjacent ones made one (the ambassadors' 7-day blocks
    of a mid-week report are one stretch of whole weeks and a few days around them), for sums
    that do not tell the periods apart."""
    out: list[tuple[date, date]] = []
    for first, last in sorted(periods):
        if out and out[-1][1] + timedelta(days=1) == first:
            out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return out


def period_rows(
    periods: list[tuple[date, date]],
    kinds: list[str] | None = None,
    *,
    whole_weeks: bool = True,
    members: list[str] | None = None,
) -> Subquery | None:
    """(member_id, kind, count, points, tag) of each period's aggregate rows, `tag` = the period's index
    in `periods` (which must not overlap); None when recognition is not part of this Plein.
    `whole_weeks=False` reads the daily rows only (the report before the weekly aggregate: the
    benchmark's baseline and the tests' comparison). `members`: only those members' rows,
    found by key instead of scanning the periods' rows."""
    selects = [
        query
        for tag, (first, last) in enumerate(periods)
        for query in _selects(first, last, tag, kinds, whole_weeks, members)
    ]
    if not selects:
        return None
    if len(selects) == 1:
        return selects[0].subquery()
    return union_all(*selects).subquery()
