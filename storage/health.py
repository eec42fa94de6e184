"""Community health tables and their store: ids and times only, never message text.

- health_asks     a question in a help channel, a member's first post or a calendar question
                  prompt (with its theme), and its first reply from someone else (when, by
                  whom); nudged_at once the hosts were told.
- health_posters  members known to have posted (so a first post is counted once).
- health_pairs    per local week and (from, to) pair: replies and reactions.
- health_pairs    (and health_connected: members with a two-way connection that week.)
- health_hours    per local week: which members were active in which hour of the week, and
                  health_hour_counts: how many (the heatmap reads only the counts).
- health_ladder   per week: each member's rung above the first (a weekly snapshot; the first
                  rung is everyone else present), for ladder movement.

The ladder snapshot reads `member_levels` by name (recognition's table): a Plein without
recognition has no ladder to snapshot.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    bindparam,
    delete,
    false,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.health.ports import (
    Asked,
    AskKind,
    FirstPost,
    HealthRow,
    Replied,
    Seen,
    Touched,
    Waiting,
)
from storage.db import Database
from storage.members import members
from storage.schema import UtcDateTime, conflict_insert, metadata

health_asks = Table(
    "health_asks",
    metadata,
    Column("ref", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("author_id", String(100), nullable=False),
    Column("channel", String(100), nullable=False),
    Column("asked_at", UtcDateTime, nullable=False),
    Column("answered_at", UtcDateTime, nullable=True),
    Column("answered_by", String(100), nullable=True),
    Column("nudged_at", UtcDateTime, nullable=True),
    Column("theme", String(100), nullable=True),
    PrimaryKeyConstraint("ref", name="pk_health_asks"),
    Index("ix_health_asks_asked_at", "asked_at"),
)

health_posters = Table(
    "health_posters",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("first_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("member_id", name="pk_health_posters"),
)

health_pairs = Table(
    "health_pairs",
    metadata,
    Column("week", Date, nullable=False),
    Column("from_id", String(100), nullable=False),
    Column("to_id", String(100), nullable=False),
    Column("replies", Integer, nullable=False),
    Column("reactions", Integer, nullable=False),
    PrimaryKeyConstraint("week", "from_id", "to_id", name="pk_health_pairs"),
    Index("ix_health_pairs_week_to", "week", "to_id"),  # help given to newcomers
)

health_connected = Table(
    "health_connected",
    metadata,
    Column("week", Date, nullable=False),
    Column("member_id", String(100), nullable=False),
    PrimaryKeyConstraint("week", "member_id", name="pk_health_connected"),
)
"""Members with a two-way connection in the week: kept as pairs arrive, so the report counts
rows instead of joining the pairs with themselves."""

health_hours = Table(
    "health_hours",
    metadata,
    Column("week", Date, nullable=False),
    Column("slot", Integer, nullable=False),
    Column("member_id", String(100), nullable=False),
    PrimaryKeyConstraint("week", "slot", "member_id", name="pk_health_hours"),
)
"""Only there to count each member once per hour and week; weeks before the last are pruned."""

health_hour_counts = Table(
    "health_hour_counts",
    metadata,
    Column("week", Date, nullable=False),
    Column("slot", Integer, nullable=False),
    Column("members", Integer, nullable=False),
    PrimaryKeyConstraint("week", "slot", name="pk_health_hour_counts"),
)
"""The heatmap's source: distinct active members per local hour of the week."""

health_ladder = Table(
    "health_ladder",
    metadata,
    Column("week", Date, nullable=False),
    Column("member_id", String(100), nullable=False),
    Column("level", Integer, nullable=False),
    PrimaryKeyConstraint("week", "member_id", name="pk_health_ladder"),
)


class SqlHealthStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, rows: Sequence[HealthRow]) -> None:
        if rows:
            async with self.db.begin() as conn:
                await write_rows(conn, rows)

    async def waiting(
        self,
        asked_before: datetime,
        asked_after: datetime,
        newcomer_days: int,
        limit: int,
        *,
        include_nudged: bool = False,
    ) -> list[Waiting]:
        a, m = health_asks, members
        window = timedelta(days=newcomer_days)
        newcomer = and_(  # loose in SQL (any ask in the range), exact below
            m.c.first_joined_at >= asked_after - window,
            or_(m.c.before_plein.is_(None), m.c.before_plein == false()),
        )
        query = (
            select(
                a.c.ref,
                a.c.kind,
                a.c.author_id,
                a.c.channel,
                a.c.asked_at,
                a.c.theme,
                m.c.first_joined_at,
            )
            .select_from(a.outerjoin(m, m.c.id == a.c.author_id))
            .where(
                a.c.asked_at <= asked_before,
                a.c.asked_at > asked_after,
                a.c.answered_at.is_(None),
                true() if include_nudged else a.c.nudged_at.is_(None),
                or_(a.c.kind.in_([AskKind.QUESTION.value, AskKind.PROMPT.value]), newcomer),
                or_(m.c.left_at.is_(None), m.c.left_at > asked_before),
            )
            .order_by(a.c.asked_at, a.c.ref)
        )
        out: list[Waiting] = []
        async with self.db.connect() as conn:
            for r in (await conn.execute(query)).all():
                kind = AskKind(r.kind)
                if kind is AskKind.FIRST_POST and r.first_joined_at < r.asked_at - window:
                    continue
                out.append(Waiting(r.ref, kind, r.author_id, r.channel, r.asked_at, r.theme))
                if len(out) >= limit:
                    break
        return out

    async def mark_nudged(self, refs: Sequence[str], at: datetime) -> list[str]:
        marked = []
        async with self.db.begin() as conn:
            for ref in refs:
                result = await conn.execute(
                    update(health_asks)
                    .where(health_asks.c.ref == ref, health_asks.c.nudged_at.is_(None))
                    .values(nudged_at=at)
                )
                if result.rowcount:
                    marked.append(ref)
        return marked

    async def prune_hours(self, before: date) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(health_hours).where(health_hours.c.week < before))

    async def snapshot_ladder(self, week: date) -> int:
        levels = metadata.tables.get("member_levels")
        if levels is None:
            return 0
        async with self.db.begin() as conn:
            taken = await conn.execute(
                select(health_ladder.c.member_id).where(health_ladder.c.week == week).limit(1)
            )
            if taken.first() is not None:
                return 0
            rows = (
                await conn.execute(
                    select(levels.c.member_id, levels.c.level).where(levels.c.level > 0)
                )
            ).all()
            if rows:
                await conn.execute(
                    health_ladder.insert(),
                    [{"week": week, "member_id": r.member_id, "level": r.level} for r in rows],
                )
        return len(rows)

    async def export_member(self, member_id: str) -> dict[str, Any]:
        a, p = health_asks, health_pairs
        async with self.db.connect() as conn:
            asks = (
                await conn.execute(
                    select(a.c.kind, a.c.channel, a.c.asked_at, a.c.answered_at)
                    .where(a.c.author_id == member_id)
                    .order_by(a.c.asked_at)
                )
            ).all()
            pairs = (
                await conn.execute(
                    select(p.c.week, p.c.from_id, p.c.to_id, p.c.replies, p.c.reactions)
                    .where(or_(p.c.from_id == member_id, p.c.to_id == member_id))
                    .order_by(p.c.week)
                )
            ).all()
        return {
            "asked": [
                {
                    "kind": r.kind,
                    "channel": r.channel,
                    "asked_at": r.asked_at.isoformat(),
                    "first_reply_at": r.answered_at.isoformat() if r.answered_at else None,
                }
                for r in asks
            ],
            "replies_and_reactions_per_week": [
                {
                    "week": r.week.isoformat(),
                    "from": r.from_id,
                    "to": r.to_id,
                    "replies": r.replies,
                    "reactions": r.reactions,
                }
                for r in pairs
            ],
        }

    async def erase_member(self, member_id: str) -> None:
        """Pairs name two people: deleted. Hours, ladder and asks keep their counts under an
        anonymous id, as recognition's daily aggregates do."""
        alias = f"erased:{uuid.uuid4().hex[:12]}"
        a = health_asks
        async with self.db.begin() as conn:
            p = health_pairs
            await conn.execute(
                delete(p).where(or_(p.c.from_id == member_id, p.c.to_id == member_id))
            )
            await conn.execute(
                delete(health_posters).where(health_posters.c.member_id == member_id)
            )
            for table in (health_hours, health_ladder):
                await conn.execute(
                    update(table).where(table.c.member_id == member_id).values(member_id=alias)
                )
            await conn.execute(update(a).where(a.c.author_id == member_id).values(author_id=alias))
            await conn.execute(
                update(a).where(a.c.answered_by == member_id).values(answered_by=alias)
            )


async def write_rows(conn: AsyncConnection, rows: Sequence[HealthRow]) -> None:
    """One batch, in order of dependence: asks before the replies that may answer them."""
    asks = [r for r in rows if isinstance(r, Asked)]
    firsts: dict[str, FirstPost] = {}
    replies: list[Replied] = []
    pairs: dict[tuple[date, str, str], list[int]] = {}
    hours: set[tuple[date, int, str]] = set()
    for row in rows:
        if isinstance(row, FirstPost):
            firsts.setdefault(row.member_id, row)
        elif isinstance(row, Replied):
            replies.append(row)
        elif isinstance(row, Touched):
            slot = pairs.setdefault((row.week, row.from_id, row.to_id), [0, 0])
            slot[0] += row.replies
            slot[1] += row.reactions
        elif isinstance(row, Seen):
            hours.add((row.week, row.slot, row.member_id))
    upsert = conflict_insert(conn.dialect.name)
    if firsts:
        known = set(
            (
                await conn.execute(
                    select(health_posters.c.member_id).where(
                        health_posters.c.member_id.in_(list(firsts))
                    )
                )
            ).scalars()
        )
        new = [f for f in firsts.values() if f.member_id not in known]
        if new:
            await conn.execute(
                health_posters.insert(), [{"member_id": f.member_id, "first_at": f.at} for f in new]
            )
            asks += [Asked(f.ref, AskKind.FIRST_POST, f.member_id, f.channel, f.at) for f in new]
    if asks:
        await conn.execute(
            upsert(health_asks).on_conflict_do_nothing(index_elements=["ref"]),
            [
                {
                    "ref": a.ref,
                    "kind": a.kind.value,
                    "author_id": a.author_id,
                    "channel": a.channel,
                    "asked_at": a.at,
                    "theme": a.theme,
                }
                for a in asks
            ],
        )
    if replies:
        a = health_asks
        answer = (
            update(a)
            .where(
                a.c.ref == bindparam("target"),
                a.c.answered_at.is_(None),
                a.c.author_id != bindparam("by"),
                a.c.asked_at <= bindparam("at"),
            )
            .values(answered_at=bindparam("at"), answered_by=bindparam("by"))
        )
        await conn.execute(
            answer, [{"target": ref, "by": r.by, "at": r.at} for r in replies for ref in r.refs]
        )
    if pairs:
        await _write_pairs(conn, upsert, pairs)
    if hours:
        await _write_hours(conn, upsert, hours)


async def _write_pairs(
    conn: AsyncConnection, upsert: Any, pairs: dict[tuple[date, str, str], list[int]]
) -> None:
    """Add the counts; a pair new this week whose reverse exists connects both members."""
    p = health_pairs
    fresh = (
        await conn.execute(
            upsert(p).on_conflict_do_nothing().returning(p.c.week, p.c.from_id, p.c.to_id),
            [
                {"week": w, "from_id": f, "to_id": t, "replies": 0, "reactions": 0}
                for (w, f, t) in pairs
            ],
        )
    ).all()
    stmt = upsert(p)
    stmt = stmt.on_conflict_do_update(
        index_elements=["week", "from_id", "to_id"],
        set_={
            "replies": p.c.replies + stmt.excluded.replies,
            "reactions": p.c.reactions + stmt.excluded.reactions,
        },
    )
    await conn.execute(
        stmt,
        [
            {"week": w, "from_id": f, "to_id": t, "replies": n[0], "reactions": n[1]}
            for (w, f, t), n in pairs.items()
        ],
    )
    connected: set[tuple[date, str]] = set()
    for week, from_id, to_id in fresh:
        reverse = await conn.execute(
            select(p.c.week).where(p.c.week == week, p.c.from_id == to_id, p.c.to_id == from_id)
        )
        if reverse.first() is not None:
            connected |= {(week, from_id), (week, to_id)}
    if connected:
        await conn.execute(
            upsert(health_connected).on_conflict_do_nothing(),
            [{"week": w, "member_id": m} for w, m in sorted(connected)],
        )


async def _write_hours(
    conn: AsyncConnection, upsert: Any, hours: set[tuple[date, int, str]]
) -> None:
    h = health_hours
    fresh = (
        await conn.execute(
            upsert(h).on_conflict_do_nothing().returning(h.c.week, h.c.slot),
            [{"week": w, "slot": s, "member_id": m} for w, s, m in sorted(hours)],
        )
    ).all()
    counts: dict[tuple[date, int], int] = {}
    for week, slot in fresh:
        counts[(week, slot)] = counts.get((week, slot), 0) + 1
    if counts:
        c = health_hour_counts
        stmt = upsert(c)
        stmt = stmt.on_conflict_do_update(
            index_elements=["week", "slot"], set_={"members": c.c.members + stmt.excluded.members}
        )
        await conn.execute(
            stmt, [{"week": w, "slot": s, "members": n} for (w, s), n in counts.items()]
        )


def make_store(db: Database) -> SqlHealthStore:
    return SqlHealthStore(db)
