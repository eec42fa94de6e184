"""The dashboard's storage: one-time login links, and the page queries beyond the report's.

Other features' tables are looked up by name at query time (as storage/report.py does), so a
feature that is absent shows as an empty section instead of an error page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Column, String, Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import CursorResult

from bot.features.dashboard.ports import (
    LadderRow,
    OccurrenceRow,
    PollRow,
    RoleRow,
    RoundsRow,
    SnapshotStore,
    SpotlightRow,
    StoryRow,
)
from bot.features.report.facts import CommunityFacts
from storage.dashboard_rounds import stelling_rounds
from storage.dashboard_snapshots import SqlSnapshotStore
from storage.db import Database
from storage.report import SqlCommunityFacts
from storage.report_figures import present_at, table
from storage.report_rows import period_rows
from storage.schema import UtcDateTime, metadata
from storage.week_people_queries import maybe_absent, present

PLATFORMS = ("discord", "slack", "console")
"""Member ids are tagged with their platform; the config may name a host by the bare id."""

dashboard_links = Table(
    "dashboard_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)


def _members() -> Table | None:
    return table("members", "id", "name", "is_bot", "first_joined_at", "left_at")


class SqlDashboardStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.facts: CommunityFacts = SqlCommunityFacts(db)
        self.snapshots: SnapshotStore = SqlSnapshotStore(db)

    # ---- one-time links ----------------------------------------------------------------------

    async def add_link(self, token_hash: str, created_at: datetime, expires_at: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                insert(dashboard_links).values(
                    token_hash=token_hash, created_at=created_at, expires_at=expires_at
                )
            )

    async def redeem_link(self, token_hash: str, at: datetime) -> bool:
        """One conditional UPDATE: of two racing redeemers only one changes the row."""
        query = (
            update(dashboard_links)
            .where(
                dashboard_links.c.token_hash == token_hash,
                dashboard_links.c.used_at.is_(None),
                dashboard_links.c.expires_at > at,
            )
            .values(used_at=at)
        )
        async with self.db.begin() as conn:
            result = await conn.execute(query)
        return isinstance(result, CursorResult) and result.rowcount == 1

    async def prune_links(self, before: datetime) -> int:
        query = delete(dashboard_links).where(dashboard_links.c.expires_at < before)
        async with self.db.begin() as conn:
            result = await conn.execute(query)
        return result.rowcount if isinstance(result, CursorResult) else 0

    # ---- members -----------------------------------------------------------------------------

    async def hidden_members(self) -> set[str]:
        prefs = table("spotlight_prefs", "member_id", "choice")
        if prefs is None:
            return set()
        async with self.db.connect() as conn:
            rows = await conn.execute(select(prefs.c.member_id).where(prefs.c.choice == "out"))
            return {r[0] for r in rows}

    async def ladder(
        self, first: date, last: date, present_at_: datetime, limit: int
    ) -> list[LadderRow]:
        m = _members()
        rows = period_rows([(first, last)])
        if m is None or rows is None:
            return []
        # Whole weeks from the weekly rows, the days around them from the daily ones; members
        # who were not present are taken out afterwards (found through the members' indexes),
        # not joined: the ranking needs `limit` rows, not every member's.
        points = func.sum(rows.c.points).label("points")
        top = (
            select(rows.c.member_id, points)
            .where(rows.c.member_id.not_like("erased:%"))  # erased members' anonymous rows
            .group_by(rows.c.member_id)
            .order_by(points.desc(), rows.c.member_id)
        )
        prefs = table("spotlight_prefs", "member_id", "choice")
        if prefs is not None:  # opted out of the spotlight: left out in the query itself
            opted_out = select(prefs.c.member_id).where(prefs.c.choice == "out")
            top = top.where(rows.c.member_id.not_in(opted_out))
        daily = table("contribution_daily", "member_id", "day", "kind", "count", "points")
        assert daily is not None  # period_rows found it
        window = and_(daily.c.day >= first, daily.c.day <= last)
        async with self.db.connect() as conn:
            who = await maybe_absent(conn, present_at_, present_at_)
            absent = {mid for mid, state in who.items() if not present(state, present_at_)}
            found = await conn.execute(top.limit(limit + len(absent)))
            ranked = [(r[0], int(r[1] or 0)) for r in found if r[0] not in absent][:limit]
            ids = [mid for mid, _ in ranked]
            if not ids:
                return []
            names = dict(
                (await conn.execute(select(m.c.id, m.c.name).where(m.c.id.in_(ids)))).all()
            )
            kinds: dict[str, dict[str, int]] = {mid: {} for mid in ids}
            kind_rows = await conn.execute(
                select(daily.c.member_id, daily.c.kind, func.sum(daily.c.count))
                .where(window, daily.c.member_id.in_(ids))
                .group_by(daily.c.member_id, daily.c.kind)
            )
            for mid, kind, count in kind_rows:
                kinds[mid][kind] = int(count)
            levels: dict[str, int] = {}
            lv = table("member_levels", "member_id", "level")
            if lv is not None:
                query = select(lv.c.member_id, lv.c.level).where(lv.c.member_id.in_(ids))
                levels = {mid: int(level) for mid, level in await conn.execute(query)}
        return [
            LadderRow(mid, names.get(mid, mid), levels.get(mid, 0), p, kinds[mid])
            for mid, p in ranked
        ]

    async def present_ids(self, member_ids: list[str], at: datetime) -> set[str]:
        m = _members()
        if m is None or not member_ids:
            return set()
        tagged = {f"{p}:{h.split(':', 1)[-1]}": h for h in member_ids for p in PLATFORMS}
        query = select(m.c.id, m.c.name).where(
            present_at(m, at),
            or_(m.c.id.in_(member_ids), m.c.id.in_(list(tagged)), m.c.name.in_(member_ids)),
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        wanted = set(member_ids)
        found: set[str] = set()
        for mid, name in rows:
            found |= {mid, name, tagged.get(mid, mid)} & wanted
        return found

    # ---- pages -------------------------------------------------------------------------------

    async def stories(self, limit: int) -> list[StoryRow]:
        s = table("stories", "title", "text", "created_at", "status")
        if s is None:
            return []
        query = select(s.c.title, s.c.text, s.c.created_at, s.c.status)
        query = query.order_by(s.c.created_at.desc(), s.c.id.desc()).limit(limit)
        async with self.db.connect() as conn:
            return [StoryRow(*row) for row in await conn.execute(query)]

    async def polls(self, limit: int) -> list[PollRow]:
        p = table("polls", "id", "kind", "question", "anonymous", "created_at", "closes_at")
        options = table("poll_options", "poll_id", "position", "label")
        ballots = table("poll_ballots", "poll_id")
        votes = table("poll_votes", "poll_id", "position")
        if p is None or options is None or ballots is None or votes is None:
            return []
        query = (
            select(
                p.c.id,
                p.c.kind,
                p.c.question,
                p.c.anonymous,
                p.c.created_at,
                p.c.closes_at,
                p.c.closed_at,
                p.c.parent_id,
            )
            .order_by(p.c.created_at.desc(), p.c.id.desc())
            .limit(limit)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
            ids = [r.id for r in rows]
            totals: dict[int, int] = dict(
                (
                    await conn.execute(
                        select(ballots.c.poll_id, func.count())
                        .where(ballots.c.poll_id.in_(ids))
                        .group_by(ballots.c.poll_id)
                    )
                ).all()
            )
            labels = (
                await conn.execute(
                    select(options.c.poll_id, options.c.position, options.c.label)
                    .where(options.c.poll_id.in_(ids))
                    .order_by(options.c.poll_id, options.c.position)
                )
            ).all()
            counts = {
                (pid, pos): int(n)
                for pid, pos, n in await conn.execute(
                    select(votes.c.poll_id, votes.c.position, func.count())
                    .where(votes.c.poll_id.in_(ids))
                    .group_by(votes.c.poll_id, votes.c.position)
                )
            }
        out = []
        for r in rows:
            shown = [
                (label, counts.get((pid, pos), 0))
                for pid, pos, label in labels
                if pid == r.id and not r.anonymous
            ]
            out.append(
                PollRow(
                    id=r.id,
                    kind=r.kind,
                    question=r.question,
                    anonymous=bool(r.anonymous),
                    created_at=r.created_at,
                    closes_at=r.closes_at,
                    closed_at=r.closed_at,
                    ballots=int(totals.get(r.id, 0)),
                    options=shown,
                    parent_id=r.parent_id,
                )
            )
        return out

    async def stelling_rounds(self, pairs: Sequence[tuple[int, int]]) -> dict[int, RoundsRow]:
        return await stelling_rounds(self.db, pairs)

    async def occurrences(self, since: datetime, until: datetime) -> list[OccurrenceRow]:
        o = table("calendar_occurrences", "id", "slot_key", "scheduled_at", "status", "theme")
        r = table("calendar_replies", "occurrence_id")
        if o is None:
            return []
        replies = (
            select(func.count()).where(r.c.occurrence_id == o.c.id).scalar_subquery()
            if r is not None
            else None
        )
        query = (
            select(
                o.c.scheduled_at,
                o.c.slot_key,
                o.c.theme,
                o.c.prompt_type,
                o.c.status,
                o.c.posted_at,
                *([replies] if replies is not None else []),
            )
            .where(o.c.scheduled_at >= since, o.c.scheduled_at < until)
            .order_by(o.c.scheduled_at)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            OccurrenceRow(
                scheduled_at=row[0],
                slot_key=row[1],
                theme=row[2],
                prompt_type=row[3],
                status=row[4],
                posted_at=row[5],
                replies=int(row[6]) if len(row) > 6 else 0,
            )
            for row in rows
        ]

    async def spotlight_history(self, limit: int) -> list[SpotlightRow]:
        runs = table("spotlight_runs", "week", "member_id", "status")
        m = _members()
        if runs is None or m is None:
            return []
        query = (
            select(runs.c.week, runs.c.member_id, m.c.name, runs.c.status)
            .select_from(runs.outerjoin(m, m.c.id == runs.c.member_id))
            .order_by(runs.c.week.desc())
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [SpotlightRow(*row) for row in await conn.execute(query)]

    async def roles(self) -> list[RoleRow]:
        roles = table("member_roles", "member_id", "role", "status", "requested_at")
        m = _members()
        if roles is None or m is None:
            return []
        query = (
            select(roles.c.member_id, m.c.name, roles.c.role, roles.c.status, roles.c.requested_at)
            .select_from(roles.outerjoin(m, m.c.id == roles.c.member_id))
            .order_by(roles.c.status, roles.c.requested_at)
        )
        async with self.db.connect() as conn:
            return [
                RoleRow(mid, name or mid, role, status, at)
                for mid, name, role, status, at in await conn.execute(query)
            ]


def make_store(db: Database) -> SqlDashboardStore:
    return SqlDashboardStore(db)
