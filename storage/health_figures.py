"""The health figures' queries (HealthFacts), over the health aggregates and the members.

The health tables are the health feature's (storage/health.py); they are looked up on the shared
metadata, so a Plein without that feature simply has no health figures (`available` is False).
Columns are read through the table definitions: a renamed column or a failing query raises, and
the report shows the managers an error instead of a zero.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, case, false, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.report.facts import OWN_KINDS, ReportDataError
from bot.features.report.health_facts import AskRow, CohortRow, HelperCount
from bot.features.report.weeks import week_start
from storage.db import Database
from storage.schema import metadata
from storage.week_roles import monday as _monday
from storage.week_roles import mondays

FIRST_POST = "first_post"


def _table(name: str) -> Table:
    table = metadata.tables.get(name)
    if table is None:
        raise ReportDataError(name, "table is not part of this Plein")
    return table


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class HealthFigureQueries:
    """Mixed into SqlCommunityFacts (which provides `db`)."""

    db: Database

    @property
    def available(self) -> bool:
        return "health_asks" in metadata.tables

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection whose failures are report errors (named), never swallowed."""
        try:
            async with self.db.connect() as conn:
                yield conn
        except SQLAlchemyError as err:
            raise ReportDataError("health figures", type(err).__name__) from err

    def _members_table(self) -> Table:
        return _table("members")

    async def asks(self, since: datetime, until: datetime, newcomer_days: int) -> list[AskRow]:
        a, m = _table("health_asks"), self._members_table()
        query = (
            select(
                a.c.kind,
                a.c.author_id,
                a.c.asked_at,
                a.c.answered_at,
                m.c.first_joined_at,
                m.c.before_plein,
            )
            .select_from(a.outerjoin(m, m.c.id == a.c.author_id))
            .where(a.c.asked_at >= since, a.c.asked_at < until)
            .order_by(a.c.asked_at, a.c.ref)
        )
        window = timedelta(days=newcomer_days)
        out = []
        async with self._reading() as conn:
            for r in (await conn.execute(query)).all():
                newcomer = (
                    r.first_joined_at is not None
                    and not r.before_plein
                    and r.first_joined_at >= r.asked_at - window
                )
                if r.kind == FIRST_POST and not newcomer:
                    continue
                out.append(AskRow(r.kind, r.author_id, r.asked_at, r.answered_at, newcomer))
        return out

    async def two_way_members(self, first_week: date, last_week: date) -> int:
        c = _table("health_connected")
        query = select(func.count(func.distinct(c.c.member_id))).where(
            c.c.week >= first_week, c.c.week <= last_week
        )
        async with self._reading() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def newcomer_helpers(
        self, first_week: date, last_week: date, newcomer_days: int, limit: int
    ) -> list[HelperCount]:
        p, m = _table("health_pairs"), self._members_table()
        # A member is a newcomer to help in a week when they joined at most `newcomer_days`
        # before that week ended (and after it began less those days): judged per week.
        earliest = datetime.combine(first_week, time(0), tzinfo=UTC) - timedelta(days=newcomer_days)
        latest = datetime.combine(last_week + timedelta(days=7), time(0), tzinfo=UTC)
        newcomers = select(m.c.id, m.c.first_joined_at).where(
            m.c.first_joined_at >= earliest,
            m.c.first_joined_at < latest,
            m.c.is_bot.is_(False),
            or_(m.c.before_plein.is_(None), m.c.before_plein == false()),
        )
        async with self._reading() as conn:
            joined = {r.id: r.first_joined_at for r in (await conn.execute(newcomers)).all()}
            if not joined:
                return []
            # The weeks as a list, not a range: with `week IN (...) AND to_id IN (...)` the
            # index (week, to_id) finds each pair; a range on `week` scanned every pair of the
            # weeks (1.3 s at 10M contributions).
            rows = (
                await conn.execute(
                    select(p.c.week, p.c.from_id, p.c.to_id, p.c.replies + p.c.reactions).where(
                        p.c.week.in_(mondays(first_week, last_week)),
                        p.c.to_id.in_(list(joined)),
                    )
                )
            ).all()
        helped: dict[str, set[str]] = {}
        touches: dict[str, int] = {}
        window = timedelta(days=newcomer_days)
        # per week (as the driver returns it): the earliest join of a newcomer that week
        since: dict[Any, datetime] = {}
        for week, from_id, to_id, count in rows:
            if week not in since:
                start = datetime.combine(_as_date(week), time(0), tzinfo=UTC)
                since[week] = start - window
            if from_id == to_id or joined[to_id] < since[week]:
                continue
            helped.setdefault(from_id, set()).add(to_id)
            touches[from_id] = touches.get(from_id, 0) + int(count)
        ranked = sorted(helped, key=lambda h: (-len(helped[h]), -touches[h], h))
        return [HelperCount(h, len(helped[h]), touches[h]) for h in ranked[:limit]]

    async def newcomers_connected(
        self, since: datetime, until: datetime, tz: ZoneInfo
    ) -> tuple[int, int]:
        c, m = _table("health_connected"), self._members_table()
        newcomers = select(m.c.id, m.c.first_joined_at).where(
            m.c.first_joined_at >= since,
            m.c.first_joined_at < until,
            m.c.is_bot.is_(False),
            or_(m.c.before_plein.is_(None), m.c.before_plein == false()),
        )
        async with self._reading() as conn:
            joined = {r.id: r.first_joined_at for r in (await conn.execute(newcomers)).all()}
            if not joined:
                return (0, 0)
            # a newcomer counts when connected in their join week or the next: those weeks as
            # a list, so the primary key (week, member_id) finds each row (the ids alone
            # scanned every week's rows)
            first = _monday(since.astimezone(tz).date())
            last = _monday(until.astimezone(tz).date()) + timedelta(days=7)
            rows = (
                await conn.execute(
                    select(c.c.week, c.c.member_id).where(
                        c.c.week.in_(mondays(first, last)), c.c.member_id.in_(list(joined))
                    )
                )
            ).all()
        connected = set()
        for week, member in rows:
            join_week = _monday(joined[member].astimezone(tz).date())
            if 0 <= (_as_date(week) - join_week).days <= 7:
                connected.add(member)
        return (len(joined), len(connected))

    async def cohorts(
        self, first_week: date, last_week: date, after: tuple[int, ...], tz: ZoneInfo
    ) -> list[CohortRow]:
        if "contribution_week_people" not in metadata.tables:
            return await self._cohorts_from_days(first_week, last_week, after, tz)
        m, people = self._members_table(), metadata.tables["contribution_week_people"]
        p = people.c
        weeks = mondays(first_week, last_week)
        # The join week as the index of the local week the join falls in (its boundaries in
        # UTC), so the counting is one GROUP BY: no row per member-week comes to Python.
        starts = [week_start(week, tz) for week in [*weeks, last_week + timedelta(days=7)]]
        cohort = case(
            *((m.c.first_joined_at < start, i) for i, start in enumerate(starts[1:])), else_=-1
        ).label("cohort")
        newcomer = and_(
            m.c.first_joined_at >= starts[0],
            m.c.first_joined_at < starts[-1],
            m.c.is_bot.is_(False),
            or_(m.c.before_plein.is_(None), m.c.before_plein == false()),
        )
        later = [week for week in weeks if week > first_week]
        sizes_query = select(cohort, func.count()).where(newcomer).group_by(cohort)
        active_query = (
            select(cohort, p.week, func.count())
            .select_from(m.join(people, p.member_id == m.c.id))
            .where(newcomer, p.role == "active", p.week.in_(later))
            .group_by(cohort, p.week)
        )
        async with self._reading() as conn:
            sizes = {int(i): int(n) for i, n in (await conn.execute(sizes_query)).all()}
            active = {
                (int(i), _as_date(week)): int(n)
                for i, week, n in (await conn.execute(active_query)).all()
            }
        out = []
        for i, week in enumerate(weeks):
            if not sizes.get(i):
                continue
            counts = {
                k: active.get((i, week + timedelta(weeks=k)), 0)
                for k in after
                if week + timedelta(weeks=k) <= last_week
            }
            out.append(CohortRow(week, sizes[i], counts))
        return out

    async def _cohorts_from_days(
        self, first_week: date, last_week: date, after: tuple[int, ...], tz: ZoneInfo
    ) -> list[CohortRow]:
        """Without the week-people rows (no recognition feature): from the daily rows."""
        m, d = self._members_table(), _table("contribution_daily")
        since = datetime.combine(first_week - timedelta(days=1), time(0), tzinfo=UTC)
        until = datetime.combine(last_week + timedelta(days=8), time(0), tzinfo=UTC)
        newcomers = select(m.c.id, m.c.first_joined_at).where(
            m.c.first_joined_at >= since,
            m.c.first_joined_at < until,
            m.c.is_bot.is_(False),
            or_(m.c.before_plein.is_(None), m.c.before_plein == false()),
        )
        async with self._reading() as conn:
            weeks: dict[str, date] = {}
            for r in (await conn.execute(newcomers)).all():
                week = _monday(r.first_joined_at.astimezone(tz).date())
                if first_week <= week <= last_week:
                    weeks[r.id] = week
            active: dict[str, set[date]] = {}
            if weeks:
                days = (
                    await conn.execute(
                        select(d.c.member_id, d.c.day)
                        .where(
                            d.c.member_id.in_(list(weeks)),
                            d.c.day >= first_week,
                            d.c.kind.in_(sorted(OWN_KINDS)),
                        )
                        .distinct()
                    )
                ).all()
                for member, day in days:
                    active.setdefault(member, set()).add(_monday(_as_date(day)))
        cohorts: dict[date, list[str]] = {}
        for member, week in weeks.items():
            cohorts.setdefault(week, []).append(member)
        out = []
        for week in sorted(cohorts):
            people = cohorts[week]
            counts = {
                k: sum(1 for p in people if week + timedelta(weeks=k) in active.get(p, set()))
                for k in after
                if week + timedelta(weeks=k) <= last_week
            }
            out.append(CohortRow(week, len(people), counts))
        return out

    async def ladder_weeks(self, first_week: date, last_week: date) -> dict[date, dict[int, int]]:
        lad = _table("health_ladder")
        query = (
            select(lad.c.week, lad.c.level, func.count())
            .where(lad.c.week >= first_week, lad.c.week <= last_week)
            .group_by(lad.c.week, lad.c.level)
        )
        out: dict[date, dict[int, int]] = {}
        async with self._reading() as conn:
            for week, level, count in (await conn.execute(query)).all():
                out.setdefault(_as_date(week), {})[int(level)] = int(count)
        return out

    async def ladder_moves(self, earlier: date, later: date) -> tuple[int, int]:
        lad = _table("health_ladder")
        async with self._reading() as conn:
            before = {
                r.member_id: int(r.level)
                for r in (
                    await conn.execute(
                        select(lad.c.member_id, lad.c.level).where(lad.c.week == earlier)
                    )
                ).all()
            }
            after = {
                r.member_id: int(r.level)
                for r in (
                    await conn.execute(
                        select(lad.c.member_id, lad.c.level).where(lad.c.week == later)
                    )
                ).all()
            }
        up = sum(1 for member, level in after.items() if level > before.get(member, 0))
        down = sum(1 for member, level in before.items() if after.get(member, 0) < level)
        return (up, down)

    async def heatmap(self, first_week: date, last_week: date) -> dict[int, int]:
        h = _table("health_hour_counts")
        query = (
            select(h.c.slot, func.sum(h.c.members))
            .where(h.c.week >= first_week, h.c.week <= last_week)
            .group_by(h.c.slot)
        )
        async with self._reading() as conn:
            return {int(s): int(n) for s, n in (await conn.execute(query)).all() if n}

    async def first_data_day(self) -> date | None:
        m, d = self._members_table(), _table("contribution_daily")
        async with self._reading() as conn:
            first_day = (await conn.execute(select(func.min(d.c.day)))).scalar_one()
            first_join = (
                await conn.execute(
                    select(func.min(m.c.first_joined_at)).where(
                        m.c.is_bot.is_(False),
                        or_(m.c.before_plein.is_(None), m.c.before_plein == false()),
                    )
                )
            ).scalar_one()
        found = [_as_date(first_day)] if first_day is not None else []
        if first_join is not None:
            found.append(_as_date(first_join))
        return min(found) if found else None
