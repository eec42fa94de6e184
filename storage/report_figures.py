"""The report's people counts, computed in SQL over the daily and weekly aggregates.

`contribution_daily` and `contribution_weekly` (kept by the recognition writer in the same
transaction as each raw row) hold one row per (local day or week, member, kind), so a period is
an indexed range of their primary keys (whole weeks from the weekly rows, see
storage/report_rows.py) and the raw `contributions` table - unindexed on purpose, it is the hot
write path - is never scanned. Every count here is of distinct members present at the period's end, joined with the
member registry, so a share can never exceed 100%.

Tables are found on the shared metadata (see storage/report.py): a feature that is absent has
no rows; a missing column or a failing query is an error, never a zero.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    case,
    distinct,
    false,
    func,
    literal,
    or_,
    select,
)

from bot.features.report.facts import (
    CREATE_KINDS,
    OWN_KINDS,
    ActivitySummary,
    BestHelpers,
    HelperRow,
    MemberRow,
)
from storage.db import Database
from storage.helper_ranking import best_helpers
from storage.report_rows import joined, period_rows, table
from storage.schema import metadata
from storage.week_people_queries import HELP_KINDS as HELP_KINDS_ALL
from storage.week_people_queries import (
    Period,
    helper_rows,
    kind_totals,
    maybe_absent,
    people_counts,
)
from storage.week_roles import ACTIVE, CREATOR, VOTER, WEEK_PEOPLE

T = TypeVar("T")

VOTE = "vote"
HELP_KINDS = ("reply", "prompt_answer", "hosted")


def _members() -> Table | None:
    return table("members", "id", "name", "is_bot", "first_joined_at", "joined_at", "left_at")


def present_at(m: Table, at: datetime) -> ColumnElement[bool]:
    """Humans who had joined by `at` and not left by then."""
    return and_(
        m.c.is_bot.is_(False),
        m.c.first_joined_at <= at,
        or_(m.c.left_at.is_(None), m.c.left_at > at),
    )


def _people_kept() -> bool:
    """The people rows of storage/week_people.py are on the metadata (recognition is here)."""
    return WEEK_PEOPLE in metadata.tables


def _flag(condition: ColumnElement[bool]) -> Any:
    return func.max(case((condition, 1), else_=0))


class ReportFigureQueries:
    """Mixed into SqlCommunityFacts; `_safe` and `db` come from there."""

    db: Database
    whole_weeks: bool = True
    """Read whole weeks from contribution_weekly (False: daily rows only, see report_rows)."""
    _safe: Callable[[str, Any, Callable[[], Awaitable[Any]]], Awaitable[Any]]

    async def present_count(self, at: datetime) -> int:
        return (await self.present_counts([at]))[0]

    async def present_counts(self, ats: list[datetime]) -> list[int]:
        """Humans present at each moment: every member minus those who were not (bots, later
        joiners, leavers), found through the members' indexes instead of a scan per moment."""
        m = _members()
        if m is None or not ats:
            return [0] * len(ats)

        async def run() -> list[int]:
            async with self.db.connect() as conn:
                total = int((await conn.execute(select(func.count()).select_from(m))).scalar_one())
                who = await maybe_absent(conn, min(ats), max(ats))
            states = [state for state in who.values() if state is not None]
            return [total - sum(1 for state in states if not state.present_at(at)) for at in ats]

        result: list[int] = await self._safe("members", [0] * len(ats), run)
        return result

    async def present_levels(self, at: datetime) -> dict[int, int]:
        """Members with a rung above the first are few: count those through member_levels and
        the rest as the first rung, instead of joining every member with the ladder."""
        m = _members()
        if m is None:
            return {}
        total = await self.present_count(at)
        lv = table("member_levels", "member_id", "level")

        async def run() -> dict[int, int]:
            if lv is None:
                return {}
            query = (
                select(lv.c.level, func.count())
                .select_from(lv.join(m, m.c.id == lv.c.member_id))
                .where(lv.c.level > 0, present_at(m, at))
                .group_by(lv.c.level)
            )
            async with self.db.connect() as conn:
                rows = (await conn.execute(query)).all()
            return {int(rung): int(count) for rung, count in rows if count}

        higher: dict[int, int] = await self._safe("member levels", {}, run)
        first = total - sum(higher.values())
        return {**({0: first} if first else {}), **higher}

    async def newcomers(self, since: datetime, until: datetime) -> list[MemberRow]:
        m = _members()
        if m is None:
            return []
        query = select(m.c.id, m.c.name, m.c.first_joined_at, m.c.joined_at).where(
            m.c.is_bot.is_(False), m.c.first_joined_at >= since, m.c.first_joined_at < until
        )
        if "before_plein" in m.c:  # the member sync marks who was here before Plein
            query = query.where(or_(m.c.before_plein.is_(None), m.c.before_plein == false()))

        async def run() -> list[MemberRow]:
            async with self.db.connect() as conn:
                rows = (await conn.execute(query.order_by(m.c.id))).all()
            return [MemberRow(r.id, r.name, r.first_joined_at, r.joined_at) for r in rows]

        result: list[MemberRow] = await self._safe("members", [], run)
        return result

    async def activity_summary(
        self, first: date, last: date, present_at_: datetime
    ) -> ActivitySummary:
        m = _members()
        if m is not None and self.whole_weeks and _people_kept():
            period = Period(first, last, present_at_)
            result_: ActivitySummary = await self._safe(
                "contributions", ActivitySummary(), lambda: self._summary(period)
            )
            return result_
        rows = period_rows([(first, last)], sorted(OWN_KINDS), whole_weeks=self.whole_weeks)
        if m is None or rows is None:
            return ActivitySummary()
        per_member = (
            select(
                rows.c.member_id.label("member_id"),
                _flag(rows.c.kind.in_(sorted(CREATE_KINDS))).label("creator"),
                _flag(rows.c.kind == VOTE).label("voter"),
            )
            .group_by(rows.c.member_id)
            .subquery()
        )
        people = (
            select(
                func.count(),
                func.coalesce(func.sum(per_member.c.creator), 0),
                func.coalesce(func.sum(per_member.c.voter), 0),
            )
            .select_from(per_member.join(m, m.c.id == per_member.c.member_id))
            .where(present_at(m, present_at_))
        )
        kinds = (
            select(rows.c.kind, func.sum(rows.c.count))
            .select_from(rows.join(m, m.c.id == rows.c.member_id))
            .where(present_at(m, present_at_))
            .group_by(rows.c.kind)
        )

        async def run() -> ActivitySummary:
            async with self.db.connect() as conn:
                active, creators, voters = (await conn.execute(people)).one()
                by_kind = {str(k): int(n) for k, n in (await conn.execute(kinds)).all() if n}
            return ActivitySummary(int(active), int(creators), int(voters), by_kind)

        result: ActivitySummary = await self._safe("contributions", ActivitySummary(), run)
        return result

    async def _summary(self, period: Period) -> ActivitySummary:
        async with self.db.connect() as conn:
            (counts,) = await people_counts(conn, [period])
            by_kind = await kind_totals(conn, period)
        return ActivitySummary(counts[ACTIVE], counts[CREATOR], counts[VOTER], by_kind)

    async def _people(self, periods: list[Period]) -> list[tuple[int, int]]:
        async with self.db.connect() as conn:
            counts = await people_counts(conn, periods)
        return [(c[ACTIVE], c[CREATOR]) for c in counts]

    async def weekly_people(
        self, weeks: list[tuple[date, date, datetime]]
    ) -> list[tuple[int, int]]:
        """activity_summary's (active, creators) for each (first, last, present_at) of `weeks`
        (disjoint day ranges), in one query over the rows tagged with their week's index."""
        m = _members()
        if m is not None and weeks and self.whole_weeks and _people_kept():
            periods = [Period(first, last, at) for first, last, at in weeks]
            found: list[tuple[int, int]] = await self._safe(
                "contributions", [(0, 0)] * len(weeks), lambda: self._people(periods)
            )
            return found
        rows = period_rows(
            [(first, last) for first, last, _ in weeks],
            sorted(OWN_KINDS),
            whole_weeks=self.whole_weeks,
        )
        if m is None or rows is None or not weeks:
            return [(0, 0)] * len(weeks)
        per_member = (
            select(
                rows.c.tag.label("week"),
                rows.c.member_id,
                _flag(rows.c.kind.in_(sorted(CREATE_KINDS))).label("creator"),
            )
            .group_by(rows.c.tag, rows.c.member_id)
            .subquery()
        )
        present_then = or_(
            *[and_(per_member.c.week == i, present_at(m, at)) for i, (_, _, at) in enumerate(weeks)]
        )
        query = (
            select(
                per_member.c.week,
                func.count(),
                func.coalesce(func.sum(per_member.c.creator), 0),
            )
            .select_from(per_member.join(m, m.c.id == per_member.c.member_id))
            .where(present_then)
            .group_by(per_member.c.week)
        )

        async def run() -> list[tuple[int, int]]:
            async with self.db.connect() as conn:
                rows = (await conn.execute(query)).all()
            found = {int(week): (int(active), int(creators)) for week, active, creators in rows}
            return [found.get(i, (0, 0)) for i in range(len(weeks))]

        result: list[tuple[int, int]] = await self._safe(
            "contributions", [(0, 0)] * len(weeks), run
        )
        return result

    async def helpers(
        self,
        weeks: list[tuple[date, date]],
        present_at_: datetime,
        best: BestHelpers | None = None,
    ) -> list[HelperRow]:
        m = _members()
        if m is not None and weeks and self.whole_weeks and _people_kept():
            sums = period_rows(joined(weeks), list(HELP_KINDS_ALL))
            if sums is None:
                return []

            async def from_people() -> list[HelperRow]:
                async with self.db.connect() as conn:
                    if best is None:
                        found = await helper_rows(conn, weeks, present_at_, sums)
                    else:
                        found = await best_helpers(conn, weeks, present_at_, sums, best)
                return [HelperRow(*row) for row in found]

            people: list[HelperRow] = await self._safe("contributions", [], from_people)
            return people
        rows = period_rows(weeks, whole_weeks=self.whole_weeks)
        if m is None or rows is None or not weeks:
            return []
        own_week = case((rows.c.kind.in_(sorted(OWN_KINDS)), rows.c.tag), else_=None)

        def total(kind: str) -> Any:
            return func.sum(case((rows.c.kind == kind, rows.c.count), else_=literal(0)))

        replies, answers, hosted = (total(k) for k in HELP_KINDS)
        query = (
            select(
                rows.c.member_id,
                func.count(distinct(own_week)),
                replies,
                total("reaction_received"),
                answers,
                hosted,
            )
            .select_from(rows.join(m, m.c.id == rows.c.member_id))
            .where(present_at(m, present_at_))
            .group_by(rows.c.member_id)
            .having(replies + answers + hosted > 0)
            .order_by(rows.c.member_id)
        )

        async def run() -> list[HelperRow]:
            async with self.db.connect() as conn:
                rows = (await conn.execute(query)).all()
            return [HelperRow(str(r[0]), *(int(v or 0) for v in r[1:])) for r in rows]

        result: list[HelperRow] = await self._safe("contributions", [], run)
        return result

    async def first_active_day(self, member_ids: list[str]) -> dict[str, date]:
        d = table("contribution_daily", "member_id", "day", "kind")
        if d is None or not member_ids:
            return {}

        async def run() -> dict[str, date]:
            query = (
                select(d.c.member_id, func.min(d.c.day))
                .where(d.c.member_id.in_(member_ids), d.c.kind.in_(sorted(OWN_KINDS)))
                .group_by(d.c.member_id)
            )
            async with self.db.connect() as conn:
                rows = (await conn.execute(query)).all()
            return {str(member): _as_date(day) for member, day in rows}

        result: dict[str, date] = await self._safe("first contributions", {}, run)
        return result


def _as_date(value: Any) -> date:
    """min() over a Date loses its type on SQLite: parse the stored text back."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
