"""The spotlight's candidates in one aggregate query over the daily contribution rows.

The fair draw (bot/features/spotlight/selection.py) weighs only the members who were active in
the lookback days, and only needs, per member, the counts of a few kinds. Reading those from the
aggregates (storage/report_rows.py: the whole weeks of the lookback from `contribution_weekly`,
the days around them from `contribution_daily`, both range scans of their primary keys, which
sum to exactly the daily rows of those days) with the sums pivoted per kind in SQL, joined to
the present human members, gives one row per active member instead of a scan of every raw
contribution and every member; the weekly rows are about a third of the daily ones a week holds.
The tables are found by name (the recognition feature's), so a Plein without them has no active
members. A forgotten member's rows carry an alias that is not a member, so the join leaves them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import case, func, select

from bot.features.spotlight.ports import ActiveMember
from storage.db import Database
from storage.members import members
from storage.report_figures import present_at
from storage.report_rows import period_rows


class SqlSpotlightCandidates:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def active_members(
        self, first: date, last: date, at: datetime, kinds: Sequence[str], own: Sequence[str]
    ) -> list[ActiveMember]:
        """Present human members with an `own` kind counted on the local days [first, last];
        per member the counts of `kinds` on those days (zeros left out)."""
        m = members
        wanted = sorted(set(kinds) | set(own))
        d = period_rows([(first, last)], wanted)
        if d is None:
            return []  # no recognition in this Plein: nobody counts as active
        sums = [
            func.sum(case((d.c.kind == kind, d.c.count), else_=0)).label(f"k{i}")
            for i, kind in enumerate(wanted)
        ]
        own_sum = func.sum(case((d.c.kind.in_(sorted(own)), d.c.count), else_=0))
        # Sums per member first, then the join for the active ones only (not for every row).
        active = select(d.c.member_id, *sums).group_by(d.c.member_id).having(own_sum > 0).subquery()
        query = (
            select(active.c.member_id, m.c.first_joined_at, *active.c[1:])
            .select_from(active.join(m, m.c.id == active.c.member_id))
            .where(present_at(m, at))
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            ActiveMember(
                row[0],
                row[1],
                {kind: int(n) for kind, n in zip(wanted, row[2:], strict=True) if n},
            )
            for row in rows
        ]

    async def present(self, member_ids: Sequence[str], at: datetime) -> dict[str, datetime]:
        """Of `member_ids`, the present human members: id -> first joined."""
        m = members
        if not member_ids:
            return {}
        query = select(m.c.id, m.c.first_joined_at).where(
            m.c.id.in_(sorted(set(member_ids))), present_at(m, at)
        )
        async with self.db.connect() as conn:
            return {row.id: row.first_joined_at for row in (await conn.execute(query)).all()}
