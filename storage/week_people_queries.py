"""People counts of a period from storage/week_people.py's rows, present at the period's end.

A period's days fall in one or more local weeks; each week contributes the weekdays of the
period as a bit mask. A whole week is its row of counts; a part of one week counts the member
rows whose days meet the mask; several weeks count distinct members over their rows. From that
the members who were not present at the period's end are taken off: bots, those who joined
after it or left before it, and ids the registry does not know. They are found from `members`
(through its indexes on joining and leaving, and the few bots) and looked up in the week rows
by member, so the count never joins every member-week with the registry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, case, exists, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.report.facts import OWN_KINDS, ReportDataError
from storage.help_rows import HELP_KINDS
from storage.members import members
from storage.report_rows import table as _owned
from storage.week_roles import (
    ACTIVE,
    DAY_KINDS,
    ROLES,
    UNREGISTERED,
    WEEK_COUNTS,
    WEEK_PEOPLE,
    monday,
)

ALL_DAYS = 0x7F
_CHUNK = 500  # ids per IN (...) look-up


def _needed(name: str, *columns: str) -> Table:
    """Recognition's tables are looked up at query time: importing storage/week_people.py would
    put them on the metadata of every Plein whose report, health or dashboard imports this."""
    found = _owned(name, *columns)
    if found is None:
        raise ReportDataError(name, "table is not here (the recognition feature keeps it)")
    return found


def week_people_table() -> Table:
    return _needed(WEEK_PEOPLE, "week", "role", "member_id", "days")


def _week_counts() -> Table:
    return _needed(WEEK_COUNTS, "week", "role", "members")


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    at: datetime
    """Who counts: the humans present at this moment (the period's end)."""

    def masks(self) -> dict[date, int]:
        """Monday of each week the period touches -> the period's weekdays in it."""
        out: dict[date, int] = {}
        day = self.first
        while day <= self.last:
            week = monday(day)
            out[week] = out.get(week, 0) | (1 << day.weekday())
            day += timedelta(days=1)
        return out


def _mask_of(p: Any, masks: dict[date, int]) -> Any:
    """The period's weekday mask of a week_people row (0 outside the period)."""
    return case(*((p.week == week, bits) for week, bits in masks.items()), else_=0)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def _counts_seen(conn: AsyncConnection, period: Period) -> dict[str, int]:
    """Distinct members per role with a row in the period, everyone (present or not)."""
    masks = period.masks()
    p = week_people_table().c
    if len(masks) == 1 and next(iter(masks.values())) == ALL_DAYS:
        week = next(iter(masks))
        n = _week_counts().c
        rows = await conn.execute(select(n.role, n.members).where(n.week == week))
        return {str(role): int(n) for role, n in rows}
    out: dict[str, int] = {}
    weeks = await _probe_order(conn, masks)
    for i, week in enumerate(weeks):
        # Each member once: counted in the last week of `weeks` they have a row in, so a
        # week's rows count only when the member has none in a week after it in that order
        # (looked up by primary key) - no DISTINCT sort over every row of the weeks.
        query = select(p.role, func.count()).where(p.week == week, p.days.op("&")(masks[week]) != 0)
        later = weeks[i + 1 :]
        if later:
            q = week_people_table().alias("later")
            query = query.where(
                ~exists().where(
                    q.c.week.in_(later),
                    q.c.role == p.role,
                    q.c.member_id == p.member_id,
                    q.c.days.op("&")(_mask_of(q.c, {w: masks[w] for w in later})) != 0,
                )
            )
        for role, n in await conn.execute(query.group_by(p.role)):
            out[str(role)] = out.get(str(role), 0) + int(n)
    return out


async def _probe_order(conn: AsyncConnection, masks: dict[date, int]) -> list[date]:
    """The period's weeks with the one of most rows last: every row of a week before the last
    is looked up in the weeks after it, so the largest is the one counted without look-ups.
    A report on Monday morning covers six days of last week and a few hours of this one: its
    few rows of this week are looked up in last week's, not last week's many in this one's.
    Rows are estimated from the whole weeks' counts and the share of their days in the mask."""
    n = _week_counts().c
    query = select(n.week, n.members).where(n.week.in_(sorted(masks)), n.role == ACTIVE)
    members = {_as_date(week): int(count) for week, count in await conn.execute(query)}

    def rows(week: date) -> float:
        return members.get(week, 0) * bin(masks[week]).count("1") / 7

    return sorted(masks, key=lambda week: (rows(week), week))


@dataclass(frozen=True)
class Registered:
    is_bot: bool
    first_joined_at: datetime
    left_at: datetime | None

    def present_at(self, at: datetime) -> bool:
        """storage/report_figures.present_at, for one member."""
        return (
            not self.is_bot
            and self.first_joined_at <= at
            and (self.left_at is None or self.left_at > at)
        )


async def maybe_absent(
    conn: AsyncConnection, earliest: datetime, latest: datetime
) -> dict[str, Registered | None]:
    """Every id that may not be present at some moment in [earliest, latest] (None: the
    registry does not know it): bots, later joiners, leavers, unregistered ids. Few, and found
    through indexes on `members` (is_bot, first_joined_at, left_at) and the small
    contribution_unregistered table."""
    m = members.c
    found: dict[str, Registered | None] = {}
    columns = (m.id, m.is_bot, m.first_joined_at, m.left_at)
    for where in (m.is_bot == true(), m.first_joined_at > earliest, m.left_at <= latest):
        # one query per index (SQLite scans the table for an OR of the three)
        for row in await conn.execute(select(*columns).where(where)):
            found[str(row.id)] = Registered(bool(row.is_bot), row.first_joined_at, row.left_at)
    unregistered = _owned(UNREGISTERED, "member_id")
    if unregistered is None:  # no recognition: no contributions to count anyone from
        return found
    u = unregistered.c
    strangers = select(u.member_id).where(~exists().where(m.id == u.member_id))
    for member_id in (await conn.execute(strangers)).scalars():
        found[str(member_id)] = None
    return found


def chunks(ids: list[str]) -> list[list[str]]:
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


@dataclass(frozen=True)
class AbsentRows:
    """The week rows of every member who may not be present at some moment (a superset), by
    week as (role, member, days): each period looks at its own weeks' rows only, and decides
    per member, not per row, who was not present at its end."""

    who: dict[str, Registered | None]
    by_week: dict[date, list[tuple[str, str, int]]]

    def per_role(self, period: Period) -> dict[str, int]:
        """Role -> distinct members with a row in the period who were not present at its end."""
        gone = {member for member, state in self.who.items() if not present(state, period.at)}
        found: dict[str, set[str]] = defaultdict(set)
        if gone:
            for week, mask in period.masks().items():
                for role, member_id, days in self.by_week.get(week, ()):
                    if days & mask and member_id in gone:
                        found[role].add(member_id)
        return {role: len(ids) for role, ids in found.items()}


async def absent_rows(
    conn: AsyncConnection, first_week: date, last_week: date, earliest: datetime, latest: datetime
) -> AbsentRows:
    """Week rows in [first_week, last_week] of every member who may not be present at some
    moment in [earliest, latest]. Looked up by member (index member_id, week, role, days),
    never by joining the week's rows with `members`."""
    p = week_people_table().c
    who = await maybe_absent(conn, earliest, latest)
    by_week: dict[date, list[tuple[str, str, int]]] = defaultdict(list)
    for chunk in chunks(sorted(who)):
        query = select(p.week, p.role, p.member_id, p.days).where(
            p.member_id.in_(chunk), p.week >= first_week, p.week <= last_week
        )
        for week, role, member_id, days in await conn.execute(query):
            by_week[_as_date(week)].append((str(role), str(member_id), int(days)))
    return AbsentRows(who, by_week)


async def people_counts(conn: AsyncConnection, periods: list[Period]) -> list[dict[str, int]]:
    """Per period: role -> distinct members of that role in it who were present at its end."""
    if not periods:
        return []
    seen = [await _counts_seen(conn, period) for period in periods]
    weeks = [week for period in periods for week in period.masks()]
    absent = await absent_rows(
        conn,
        min(weeks),
        max(weeks),
        min(period.at for period in periods),
        max(period.at for period in periods),
    )
    out = []
    for period, counts in zip(periods, seen, strict=True):
        gone = absent.per_role(period)
        out.append({role: counts.get(role, 0) - gone.get(role, 0) for role in ROLES})
    return out


async def kind_totals(conn: AsyncConnection, period: Period) -> dict[str, int]:
    """OWN_KINDS contributions per kind in the period by members present at its end."""
    k = _needed(DAY_KINDS, "day", "kind", "count").c
    d = _needed("contribution_daily", "member_id", "day", "kind", "count").c
    own = sorted(OWN_KINDS)
    days = and_(k.day >= period.first, k.day <= period.last, k.kind.in_(own))
    totals = {
        str(kind): int(n)
        for kind, n in await conn.execute(
            select(k.kind, func.sum(k.count)).where(days).group_by(k.kind)
        )
    }
    in_days = and_(d.day >= period.first, d.day <= period.last, d.kind.in_(own))
    who = await maybe_absent(conn, period.at, period.at)
    gone = [member_id for member_id, state in who.items() if not present(state, period.at)]
    for chunk in chunks(sorted(gone)):
        query = (
            select(d.kind, func.sum(d.count))
            .where(d.member_id.in_(chunk), in_days)
            .group_by(d.kind)
        )
        for kind, n in await conn.execute(query):
            totals[str(kind)] = totals.get(str(kind), 0) - int(n)
    return {kind: n for kind, n in totals.items() if n}


async def helper_rows(
    conn: AsyncConnection,
    blocks: list[tuple[date, date]],
    at: datetime,
    sums: Any,
) -> list[tuple[str, int, int, int, int, int]]:
    """(member, active blocks, replies, reactions received, prompt answers, hosted) of members
    present at `at` who replied, answered a prompt or hosted on the days of `blocks`, every one
    of them (the ambassadors' top alone: storage/helper_ranking.py).

    `sums` is a subquery of (member_id, kind, count) rows of those days (storage/report_rows.py,
    restricted to HELP_KINDS). The active blocks come from the week-people rows (a flag per
    block from the day masks), both unioned and grouped by member once; absent members are
    taken off afterwards (storage/week_people_queries.maybe_absent), not joined."""
    p = week_people_table().c
    periods = [Period(first, last, at) for first, last in blocks]
    masks = [period.masks() for period in periods]
    weeks = [week for mask in masks for week in mask]
    flags = [
        case(
            *((and_(p.week == week, p.days.op("&")(bits) != 0), 1) for week, bits in mask.items()),
            else_=0,
        )
        for mask in masks
    ]
    zero = literal(0)
    active = select(
        p.member_id.label("member_id"),
        *(flag.label(f"b{i}") for i, flag in enumerate(flags)),
        *(zero.label(kind) for kind in HELP_KINDS),
    ).where(p.role == "active", p.week >= min(weeks), p.week <= max(weeks))
    helped = select(
        sums.c.member_id.label("member_id"),
        *(zero.label(f"b{i}") for i in range(len(blocks))),
        *(case((sums.c.kind == kind, sums.c.count), else_=0).label(kind) for kind in HELP_KINDS),
    )
    both = active.union_all(helped).subquery()
    totals = [func.sum(both.c[kind]) for kind in HELP_KINDS]
    replies, _, answers, hosted = totals
    weeks_active = sum((func.max(both.c[f"b{i}"]) for i in range(len(blocks))), zero)
    query = (
        select(both.c.member_id, weeks_active, *totals)
        .group_by(both.c.member_id)
        .having(replies + answers + hosted > 0)
        .order_by(both.c.member_id)
    )
    who = await maybe_absent(conn, at, at)
    out = []
    for row in await conn.execute(query):
        member_id = str(row[0])
        if member_id in who and not present(who[member_id], at):
            continue
        weeks_, replies_, received_, answers_, hosted_ = (int(v or 0) for v in row[1:])
        out.append((member_id, weeks_, replies_, received_, answers_, hosted_))
    return out


def present(state: Registered | None, at: datetime) -> bool:
    return state is not None and state.present_at(at)
