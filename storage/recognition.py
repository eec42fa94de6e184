"""Queries for the recognition feature. Tables: storage/recognition_tables.py (documented there)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, delete, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.recognition.periods import ALL
from bot.features.recognition.ports import (
    ADJUSTMENT,
    ContributionRow,
    KindStats,
    KudosRecord,
    KudosRefused,
    LevelState,
    Ranked,
)
from bot.signals import ContributionKind
from storage.db import Database
from storage.inbox import claim_effect
from storage.members import members
from storage.recognition_parts import PART_ROWS, record_in_parts
from storage.recognition_personal import PersonalData
from storage.recognition_seasons import SeasonQueries
from storage.recognition_tables import (
    contribution_daily,
    contribution_totals,
    contributions,
    kudos,
    member_levels,
    points_adjustments,
)
from storage.recognition_writer import write_rows
from storage.schema import UtcDateTime

_CHUNK = 500


def _chunks(items: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) >= _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _state(row: Any) -> LevelState:
    return LevelState(row.member_id, row.level, row.announced, row.changed_at, row.role)


class SqlRecognitionStore(PersonalData, SeasonQueries):
    def __init__(self, db: Database, *, part_rows: int = PART_ROWS) -> None:
        self.db = db
        self.part_rows = part_rows

    # ---- writes ----------------------------------------------------------------------------

    async def record(self, rows: Sequence[ContributionRow]) -> None:
        """The batched writer's sink: one group commit, retried on a locked database, handed
        over between parts when an interaction waits (storage/recognition_parts.py)."""
        await record_in_parts(self.db, rows, self.part_rows)

    async def record_once(
        self, event_id: str, rows: Sequence[ContributionRow], at: datetime
    ) -> bool:
        async def keyed_commit(conn: AsyncConnection) -> bool:
            fresh = await claim_effect(conn, event_id, at)
            if fresh:
                await write_rows(conn, rows)
            return fresh

        return await self.db.write(keyed_commit)

    async def add_kudos(
        self,
        *,
        giver_id: str,
        receiver_id: str,
        reason: str | None,
        channel: str | None,
        row: ContributionRow,
        quota_since: datetime,
        quota: int,
        pair_since: datetime,
    ) -> None:
        """One conditional INSERT ... SELECT ... WHERE under quota AND no recent kudos to this
        receiver: the database decides, so concurrent /kudos from one giver cannot both pass a
        check made before the other's write (issue 19). SQLite: the INSERT is the transaction's
        first statement, so it holds the write lock while it counts. PostgreSQL: READ COMMITTED
        would let two such inserts count the same rows, so the giver's advisory lock (held to
        commit) puts them in a row first."""
        k = kudos.c
        given = (
            select(func.count())
            .select_from(kudos)
            .where(k.giver_id == giver_id, k.at >= quota_since)
            .scalar_subquery()
        )
        recent = (
            select(k.id)
            .where(k.giver_id == giver_id, k.receiver_id == receiver_id, k.at >= pair_since)
            .exists()
        )
        values = select(
            literal(giver_id, String()),
            literal(receiver_id, String()),
            literal(reason, String()),
            literal(channel, String()),
            literal(row[3], UtcDateTime()),
        ).where(given < quota, ~recent)
        async with self.db.begin() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(
                    select(func.pg_advisory_xact_lock(func.hashtextextended(giver_id, 0)))
                )
            done = await conn.execute(
                insert(kudos).from_select(
                    ["giver_id", "receiver_id", "reason", "channel", "at"], values
                )
            )
            if done.rowcount != 1:
                count = (await conn.execute(select(given))).scalar_one()
                raise KudosRefused("quota" if count >= quota else "pair_cooldown")
            await write_rows(conn, [row])

    async def adjust(
        self, *, member_id: str, amount: int, reason: str, by: str, at: datetime, day: date
    ) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                insert(points_adjustments).values(
                    member_id=member_id, amount=amount, reason=reason, by_member=by, at=at
                )
            )
            await write_rows(conn, [(member_id, ADJUSTMENT, None, at, 0, None, amount, day)])

    # ---- levels ----------------------------------------------------------------------------

    async def window_stats(
        self, member_ids: Iterable[str], since: date
    ) -> dict[str, dict[str, KindStats]]:
        out: dict[str, dict[str, KindStats]] = {}
        d = contribution_daily.c
        async with self.db.connect() as conn:
            for chunk in _chunks(member_ids):
                result = await conn.execute(
                    select(d.member_id, d.kind, func.sum(d.count), func.sum(d.points))
                    .where(d.member_id.in_(chunk), d.day >= since)
                    .group_by(d.member_id, d.kind)
                )
                for member, kind, count, points in result:
                    out.setdefault(member, {})[kind] = KindStats(int(count), int(points))
        return out

    async def last_active(self, member_ids: Iterable[str]) -> dict[str, date]:
        d = contribution_daily.c
        out: dict[str, date] = {}
        async with self.db.connect() as conn:
            for chunk in _chunks(member_ids):
                result = await conn.execute(
                    select(d.member_id, func.max(d.day))
                    .where(d.member_id.in_(chunk), d.kind != ADJUSTMENT)
                    .group_by(d.member_id)
                )
                out.update({m: day for m, day in result})
        return out

    async def level_states(self, member_ids: Iterable[str]) -> dict[str, LevelState]:
        out: dict[str, LevelState] = {}
        async with self.db.connect() as conn:
            for chunk in _chunks(member_ids):
                result = await conn.execute(
                    select(member_levels).where(member_levels.c.member_id.in_(chunk))
                )
                out.update({row.member_id: _state(row) for row in result})
        return out

    async def raise_levels(
        self, promotions: Sequence[tuple[str, int, str | None]], at: datetime
    ) -> dict[str, LevelState]:
        """One transaction for a batch of (member, level, role) promotions; returns the previous
        state of each member actually raised (a fresh state for members without a row)."""
        try:
            return await self._raise_levels(promotions, at, bulk_insert=True)
        except IntegrityError:  # another process inserted a row meanwhile: go one by one
            return await self._raise_levels(promotions, at, bulk_insert=False)

    async def _raise_levels(
        self, promotions: Sequence[tuple[str, int, str | None]], at: datetime, *, bulk_insert: bool
    ) -> dict[str, LevelState]:
        ml = member_levels.c
        raised: dict[str, LevelState] = {}
        async with self.db.begin() as conn:
            existing: dict[str, Any] = {}
            for chunk in _chunks(member for member, _, _ in promotions):
                result = await conn.execute(select(member_levels).where(ml.member_id.in_(chunk)))
                existing.update({row.member_id: row for row in result})
            fresh = [(m, lv, role) for m, lv, role in promotions if m not in existing]
            rows = [
                {"member_id": m, "level": lv, "announced": lv, "changed_at": at, "role": role}
                for m, lv, role in fresh
            ]
            if fresh and bulk_insert:
                await conn.execute(insert(member_levels), rows)
                raised.update({m: LevelState(m, 0, 0, at, None) for m, _, _ in fresh})
            for (member, _, _), values in zip(fresh, rows, strict=True) if not bulk_insert else ():
                try:
                    async with conn.begin_nested():
                        await conn.execute(insert(member_levels).values(**values))
                except IntegrityError:
                    continue
                raised[member] = LevelState(member, 0, 0, at, None)
            greatest = func.max if conn.dialect.name == "sqlite" else func.greatest
            for member, level, role in promotions:
                row = existing.get(member)
                if row is None or row.level >= level:
                    continue
                done = await conn.execute(
                    update(member_levels)
                    .where(ml.member_id == member, ml.level == row.level)
                    .values(
                        level=level,
                        announced=greatest(ml.announced, level),
                        changed_at=at,
                        role=role,
                    )
                )
                if done.rowcount == 1:
                    raised[member] = _state(row)
        return raised

    async def lower_level(
        self, member_id: str, from_level: int, level: int, at: datetime, role: str | None
    ) -> bool:
        ml = member_levels.c
        async with self.db.begin() as conn:
            done = await conn.execute(
                update(member_levels)
                .where(ml.member_id == member_id, ml.level == from_level)
                .values(level=level, changed_at=at, role=role)
            )
            return done.rowcount == 1

    async def demotion_candidates(self, changed_before: datetime) -> list[LevelState]:
        ml = member_levels.c
        async with self.db.connect() as conn:
            result = await conn.execute(
                select(member_levels).where(ml.level > 0, ml.changed_at <= changed_before)
            )
            return [_state(row) for row in result]

    # ---- leaderboards ----------------------------------------------------------------------

    async def period_points(self, member_id: str, periods: Sequence[str]) -> dict[str, int]:
        t = contribution_totals.c
        async with self.db.connect() as conn:
            result = await conn.execute(
                select(t.period, t.points).where(t.member_id == member_id, t.period.in_(periods))
            )
            found = {p: int(v) for p, v in result}
        return {p: found.get(p, 0) for p in periods}

    async def top(self, period: str, limit: int) -> list[Ranked]:
        t = contribution_totals.c
        async with self.db.connect() as conn:
            best = (
                select(t.member_id, t.points)
                .where(t.period == period, t.points > 0)
                .order_by(t.points.desc(), t.member_id)
                .limit(limit)
                .subquery()
            )
            result = await conn.execute(
                select(best.c.member_id, members.c.name, best.c.points)
                .select_from(best.outerjoin(members, members.c.id == best.c.member_id))
                .order_by(best.c.points.desc(), best.c.member_id)
            )
            return [Ranked(m, name, int(points)) for m, name, points in result]

    async def rank(self, member_id: str, period: str) -> tuple[int, int] | None:
        t = contribution_totals.c
        async with self.db.connect() as conn:
            mine = (
                await conn.execute(
                    select(t.points).where(t.period == period, t.member_id == member_id)
                )
            ).scalar_one_or_none()
            if not mine or mine <= 0:
                return None
            above = (
                await conn.execute(
                    select(func.count())
                    .select_from(contribution_totals)
                    .where(t.period == period, t.points > mine)
                )
            ).scalar_one()
        return int(above) + 1, int(mine)

    async def kudos_received(self, member_id: str, limit: int) -> tuple[int, list[KudosRecord]]:
        k = kudos.c
        async with self.db.connect() as conn:
            total = (
                await conn.execute(
                    select(func.count()).select_from(kudos).where(k.receiver_id == member_id)
                )
            ).scalar_one()
            result = await conn.execute(
                select(k.giver_id, k.receiver_id, k.reason, k.at)
                .where(k.receiver_id == member_id)
                .order_by(k.at.desc(), k.id.desc())
                .limit(limit)
            )
            return int(total), [KudosRecord(*row) for row in result]

    async def active_kinds(self, since: date) -> dict[str, set[str]]:
        d = contribution_daily.c
        out: dict[str, set[str]] = {}
        async with self.db.connect() as conn:
            result = await conn.execute(
                select(d.member_id, d.kind)
                .where(d.day >= since, d.kind != ADJUSTMENT, d.member_id.not_like("erased:%"))
                .group_by(d.member_id, d.kind)
            )
            for member, kind in result:
                out.setdefault(member, set()).add(kind)
        return out

    async def counted_messages(
        self, member_id: str, refs: Collection[str], since: datetime
    ) -> set[str]:
        """Which of `refs` already count as this member's messages or replies among the rows
        written since `since` (the tail of the table, found by id: no index on ref)."""
        c = contributions.c
        async with self.db.connect() as conn:
            after = await _last_id_before(conn, since)
            if after is None:
                return set()
            result = await conn.execute(
                select(c.ref).where(
                    c.id > after,
                    c.member_id == member_id,
                    c.kind.in_((ContributionKind.MESSAGE.value, ContributionKind.REPLY.value)),
                    c.ref.in_(list(refs)),
                )
            )
            return {str(row.ref) for row in result}

    # ---- retention -------------------------------------------------------------------------

    async def delete_raw_before(self, cutoff: datetime, batch: int = 50_000) -> int:
        """Raw events are already counted in contribution_daily; deleting them loses no totals."""
        c = contributions.c
        async with self.db.connect() as conn:
            last_old = await _last_id_before(conn, cutoff)
            if last_old is None:
                return 0
        deleted = 0
        start = None
        while True:
            async with self.db.begin() as conn:
                if start is None:
                    start = (await conn.execute(select(func.min(c.id)))).scalar()
                    if start is None:
                        return 0
                end = min(last_old, start + batch - 1)
                if end < start:
                    return deleted
                done = await conn.execute(delete(contributions).where(c.id >= start, c.id <= end))
            deleted += done.rowcount or 0
            start = end + 1

    async def prune_periods(self, keep: Sequence[str]) -> int:
        t = contribution_totals.c
        async with self.db.begin() as conn:
            done = await conn.execute(
                delete(contribution_totals).where(t.period != ALL, t.period.not_in(list(keep)))
            )
            return done.rowcount or 0


def make_store(db: Database) -> SqlRecognitionStore:
    return SqlRecognitionStore(db)


async def _last_id_before(conn: AsyncConnection, cutoff: datetime) -> int | None:
    """The last contribution id older than `cutoff` (one less than the first id when none is;
    None for an empty table). Ids grow with time: a binary search on the primary key, no index
    on `at` needed; a row out of order only moves the edge by that row."""
    c = contributions.c
    low, high = (await conn.execute(select(func.min(c.id), func.max(c.id)))).one()
    if low is None:
        return None
    last_old = int(low) - 1
    while low <= high:
        mid = (low + high) // 2
        row = (
            await conn.execute(select(c.id, c.at).where(c.id >= mid).order_by(c.id).limit(1))
        ).first()
        if row is None or row.id > high:
            high = mid - 1
        elif row.at < cutoff:
            last_old = row.id
            low = row.id + 1
        else:
            high = mid - 1
    return last_old
