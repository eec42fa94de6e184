"""Export and erase of a member's recognition data (the PersonalDataProvider half of the store)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update

from storage.db import Database
from storage.recognition_tables import (
    contribution_daily,
    contribution_totals,
    contribution_weekly,
    contributions,
    kudos,
    member_levels,
    points_adjustments,
)
from storage.week_people import erase_member as erase_week_people


class PersonalData:
    db: Database

    async def export_member(self, member_id: str) -> dict[str, Any]:
        c, d, k, a = contributions.c, contribution_daily.c, kudos.c, points_adjustments.c
        w = contribution_weekly.c
        async with self.db.connect() as conn:
            raw = await conn.execute(
                select(c.kind, c.channel, c.at, c.length, c.ref, c.points)
                .where(c.member_id == member_id)
                .order_by(c.at, c.id)
            )
            daily = await conn.execute(
                select(d.day, d.kind, d.count, d.points)
                .where(d.member_id == member_id)
                .order_by(d.day, d.kind)
            )
            weekly = await conn.execute(
                select(w.week, w.kind, w.count, w.points)
                .where(w.member_id == member_id)
                .order_by(w.week, w.kind)
            )
            given = await conn.execute(
                select(k.receiver_id, k.reason, k.at).where(k.giver_id == member_id)
            )
            received = await conn.execute(
                select(k.giver_id, k.reason, k.at).where(k.receiver_id == member_id)
            )
            adjustments = await conn.execute(
                select(a.amount, a.reason, a.by_member, a.at).where(a.member_id == member_id)
            )
            level = (
                await conn.execute(
                    select(member_levels).where(member_levels.c.member_id == member_id)
                )
            ).one_or_none()
            return {
                "contributions": [
                    {
                        "kind": r.kind,
                        "channel": r.channel,
                        "at": r.at.isoformat(),
                        "length": r.length,
                        "ref": r.ref,
                        "points": r.points,
                    }
                    for r in raw
                ],
                "daily_totals": [
                    {"day": r.day.isoformat(), "kind": r.kind, "count": r.count, "points": r.points}
                    for r in daily
                ],
                "weekly_totals": [
                    {
                        "week": r.week.isoformat(),
                        "kind": r.kind,
                        "count": r.count,
                        "points": r.points,
                    }
                    for r in weekly
                ],
                "kudos_given": [
                    {"to": r.receiver_id, "reason": r.reason, "at": r.at.isoformat()} for r in given
                ],
                "kudos_received": [
                    {"from": r.giver_id, "reason": r.reason, "at": r.at.isoformat()}
                    for r in received
                ],
                "points_adjustments": [
                    {
                        "amount": r.amount,
                        "reason": r.reason,
                        "by": r.by_member,
                        "at": r.at.isoformat(),
                    }
                    for r in adjustments
                ],
                "level": None
                if level is None
                else {"level": level.level, "since": level.changed_at.isoformat()},
            }

    async def erase_member(self, member_id: str) -> None:
        """Delete raw events, kudos and level; keep daily and weekly aggregates under an anonymous
        id."""
        alias = f"erased:{uuid.uuid4().hex[:12]}"
        async with self.db.begin() as conn:
            await conn.execute(delete(contributions).where(contributions.c.member_id == member_id))
            await conn.execute(
                delete(kudos).where(
                    (kudos.c.giver_id == member_id) | (kudos.c.receiver_id == member_id)
                )
            )
            await conn.execute(
                update(points_adjustments)
                .where(points_adjustments.c.member_id == member_id)
                .values(member_id=alias, reason=None)
            )
            await conn.execute(
                update(points_adjustments)
                .where(points_adjustments.c.by_member == member_id)
                .values(by_member=None)
            )
            await erase_week_people(conn, member_id)  # before the daily rows are renamed
            await conn.execute(
                update(contribution_daily)
                .where(contribution_daily.c.member_id == member_id)
                .values(member_id=alias)
            )
            await conn.execute(
                update(contribution_weekly)
                .where(contribution_weekly.c.member_id == member_id)
                .values(member_id=alias)
            )
            await conn.execute(
                delete(contribution_totals).where(contribution_totals.c.member_id == member_id)
            )
            await conn.execute(delete(member_levels).where(member_levels.c.member_id == member_id))
