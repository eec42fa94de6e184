"""Season queries for recognition: boards summed from contribution_daily over a season's days,
and the claim that makes a season's recognition post happen once.

- season_posts   one row per season whose recognition was posted (the unique key is the claim).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Column, PrimaryKeyConstraint, String, Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.features.recognition.ports import ADJUSTMENT, Ranked
from storage.db import Database
from storage.members import members
from storage.recognition_tables import contribution_daily, kudos
from storage.schema import UtcDateTime, metadata

season_posts = Table(
    "season_posts",
    metadata,
    Column("season", String(16), nullable=False),
    Column("posted_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("season", name="pk_season_posts"),
)


class SeasonQueries:
    db: Database

    async def season_top(self, start: date, end: date, limit: int) -> list[Ranked]:
        d = contribution_daily.c
        points = func.sum(d.points).label("points")
        async with self.db.connect() as conn:
            result = await conn.execute(
                select(d.member_id, members.c.name, points)
                .select_from(contribution_daily.outerjoin(members, members.c.id == d.member_id))
                .where(d.day >= start, d.day < end, d.member_id.not_like("erased:%"))
                .group_by(d.member_id, members.c.name)
                .having(func.sum(d.points) > 0)
                .order_by(points.desc(), d.member_id)
                .limit(limit)
            )
            return [Ranked(m, name, int(p)) for m, name, p in result]

    async def season_rank(self, member_id: str, start: date, end: date) -> tuple[int, int] | None:
        d = contribution_daily.c
        per_member = (
            select(d.member_id, func.sum(d.points).label("points"))
            .where(d.day >= start, d.day < end)
            .group_by(d.member_id)
            .subquery()
        )
        async with self.db.connect() as conn:
            mine = (
                await conn.execute(
                    select(per_member.c.points).where(per_member.c.member_id == member_id)
                )
            ).scalar_one_or_none()
            if not mine or mine <= 0:
                return None
            above = (
                await conn.execute(
                    select(func.count()).select_from(per_member).where(per_member.c.points > mine)
                )
            ).scalar_one()
        return int(above) + 1, int(mine)

    async def season_kind_counts(
        self, kind: str, start: date, end: date, limit: int
    ) -> list[Ranked]:
        """Who did `kind` most often in the season (its count in `points`)."""
        if kind == ADJUSTMENT:
            return []
        d = contribution_daily.c
        count = func.sum(d.count).label("n")
        async with self.db.connect() as conn:
            result = await conn.execute(
                select(d.member_id, count)
                .where(
                    d.kind == kind,
                    d.day >= start,
                    d.day < end,
                    d.member_id.not_like("erased:%"),
                )
                .group_by(d.member_id)
                .having(func.sum(d.count) > 0)
                .order_by(count.desc(), d.member_id)
                .limit(limit)
            )
            return [Ranked(m, None, int(n)) for m, n in result]

    async def season_newcomer_thanks(
        self, since: datetime, until: datetime, window: timedelta, limit: int
    ) -> list[Ranked]:
        """Helpers of newcomers, as far as Plein can see without text: the members thanked most
        (kudos or thanks in plain words) by members who had joined within `window` of it."""
        k, m = kudos.c, members.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(k.receiver_id, k.at, m.first_joined_at)
                .select_from(kudos.join(members, members.c.id == k.giver_id))
                .where(k.at >= since, k.at < until)
            )
            counts: dict[str, int] = {}
            for receiver, at, joined in rows:
                if at - joined <= window:
                    counts[receiver] = counts.get(receiver, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Ranked(member, None, n) for member, n in ranked]

    async def claim_season_post(self, season: str, at: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(insert(season_posts).values(season=season, posted_at=at))
        except IntegrityError:
            return False
        return True
