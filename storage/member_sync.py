"""The member sync's side of the registry: bulk upserts of the platform's member list, batch by batch.

Each batch is one transaction with a handful of statements (one select of the batch's ids, one
executemany insert of the newcomers, one update of the rest), so 100,000 members stream through in
bounded memory. A member's `seen_in_sync` is the newest sync that listed them; members a finished
sync did not list (and who joined before it started) are the ones who left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    String,
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.events import ListedMember
from bot.members import SyncArrival, SyncRun
from storage.db import Database
from storage.members import (
    SqlMemberStore,
    member_tombstones,
    members,
    salted_hash,
    tombstone_salt,
)
from storage.schema import UtcDateTime, metadata

member_syncs = Table(
    "member_syncs",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("sync_id", String(100), nullable=False, unique=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("first", Boolean, nullable=False),
)


class SqlMemberSync:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def start_sync(self, sync_id: str, at: datetime) -> SyncRun:
        async with self.db.begin() as conn:
            row = await self._run_row(conn, sync_id)
            if row is None:
                finished = (
                    await conn.execute(
                        select(func.count())
                        .select_from(member_syncs)
                        .where(member_syncs.c.finished_at.is_not(None))
                    )
                ).scalar_one()
                try:
                    async with conn.begin_nested():
                        await conn.execute(
                            insert(member_syncs).values(
                                sync_id=sync_id, started_at=at, first=finished == 0
                            )
                        )
                except IntegrityError:
                    pass  # another process opened it first
                row = await self._run_row(conn, sync_id)
            assert row is not None
            previous = (
                await conn.execute(
                    select(member_syncs.c.finished_at)
                    .where(member_syncs.c.seq < row.seq, member_syncs.c.finished_at.is_not(None))
                    .order_by(member_syncs.c.finished_at.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
        return SyncRun(
            seq=row.seq,
            sync_id=sync_id,
            started_at=row.started_at,
            first=row.first,
            previous_at=previous,
        )

    @staticmethod
    async def _run_row(conn: AsyncConnection, sync_id: str) -> Any:
        return (
            await conn.execute(select(member_syncs).where(member_syncs.c.sync_id == sync_id))
        ).one_or_none()

    async def sync_batch(
        self, run: SyncRun, batch: Sequence[ListedMember], at: datetime
    ) -> list[SyncArrival]:
        listed = {m.id: m for m in batch if not m.is_bot}
        if not listed:
            return []
        arrivals: list[SyncArrival] = []
        async with self.db.begin() as conn:
            known = {
                row.id: row
                for row in await conn.execute(
                    select(
                        members.c.id, members.c.name, members.c.left_at, members.c.join_count
                    ).where(members.c.id.in_(list(listed)))
                )
            }
            fresh = [m for m in listed.values() if m.id not in known]
            fresh = await self._without_erased(conn, fresh)
            if fresh:
                rows = [self._new_row(run, m, at) for m in fresh]
                await conn.execute(insert(members), rows)
                if not run.first:
                    arrivals += [
                        SyncArrival(r["id"], r["name"], r["joined_at"], True, 1) for r in rows
                    ]
            await self._mark_seen(conn, run, [i for i, row in known.items() if row.left_at is None])
            renamed = [
                {"b_id": i, "b_name": listed[i].name}
                for i, row in known.items()
                if row.left_at is None and row.name != listed[i].name
            ]
            if renamed:
                await conn.execute(
                    update(members)
                    .where(members.c.id == bindparam("b_id"))
                    .values(name=bindparam("b_name")),
                    renamed,
                )
            for member_id, row in known.items():
                if row.left_at is not None:  # came back while Plein was offline
                    arrivals.append(await self._reopen(conn, run, listed[member_id], row, at))
        return arrivals

    @staticmethod
    def _joined_at(run: SyncRun, member: ListedMember, at: datetime) -> tuple[datetime, bool]:
        """The join time to store, and whether the platform told it."""
        if member.joined_at is not None and not member.joined_at_estimated:
            return member.joined_at, True
        if run.first:
            return at, False  # here before Plein, since when the platform does not say
        if member.joined_at is not None:
            return member.joined_at, False
        # Joined while offline, when unknown: the earliest it can have been.
        return (run.previous_at or at), False

    def _new_row(self, run: SyncRun, member: ListedMember, at: datetime) -> dict[str, Any]:
        joined, known = self._joined_at(run, member, at)
        return {
            "id": member.id,
            "name": member.name,
            "is_bot": False,
            "first_joined_at": joined,
            "joined_at": joined,
            "left_at": None,
            "join_count": 1,
            "before_plein": run.first,
            "join_time_known": known,
            "seen_in_sync": run.seq,
        }

    async def _reopen(
        self, conn: AsyncConnection, run: SyncRun, member: ListedMember, row: Any, at: datetime
    ) -> SyncArrival:
        joined, _ = self._joined_at(run, member, at)
        count = row.join_count + 1
        await conn.execute(
            update(members)
            .where(members.c.id == member.id)
            .values(
                name=member.name,
                joined_at=joined,
                left_at=None,
                join_count=count,
                seen_in_sync=run.seq,
            )
        )
        return SyncArrival(member.id, member.name, joined, False, count)

    @staticmethod
    async def _mark_seen(conn: AsyncConnection, run: SyncRun, ids: list[str]) -> None:
        if not ids:
            return
        # Never lower the mark: an older sync finishing late must not hide a newer one's view.
        newest = case(
            (
                or_(members.c.seen_in_sync.is_(None), members.c.seen_in_sync < run.seq),
                run.seq,
            ),
            else_=members.c.seen_in_sync,
        )
        await conn.execute(update(members).where(members.c.id.in_(ids)).values(seen_in_sync=newest))

    @staticmethod
    async def _without_erased(
        conn: AsyncConnection, fresh: list[ListedMember]
    ) -> list[ListedMember]:
        """Someone erased while still here is listed again: record nothing about them."""
        if not fresh:
            return fresh
        stones = (
            await conn.execute(select(func.count()).select_from(member_tombstones))
        ).scalar_one()
        if stones == 0:
            return fresh
        salt = await tombstone_salt(conn)
        hashes = {m.id: salted_hash(salt, m.id) for m in fresh}
        present = set(
            (
                await conn.execute(
                    select(member_tombstones.c.id_hash).where(
                        member_tombstones.c.id_hash.in_(list(hashes.values())),
                        member_tombstones.c.present.is_(True),
                    )
                )
            ).scalars()
        )
        return [m for m in fresh if hashes[m.id] not in present]

    async def gone_since(self, run: SyncRun) -> list[str]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(members.c.id)
                .where(
                    members.c.left_at.is_(None),
                    members.c.is_bot.is_(False),
                    members.c.joined_at < run.started_at,
                    or_(members.c.seen_in_sync.is_(None), members.c.seen_in_sync < run.seq),
                )
                .order_by(members.c.id)
            )
            return list(rows.scalars())

    async def finish_sync(self, run: SyncRun, at: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(member_syncs)
                .where(and_(member_syncs.c.seq == run.seq, member_syncs.c.finished_at.is_(None)))
                .values(finished_at=at)
            )


class SqlMembers(SqlMemberStore, SqlMemberSync):
    """The member registry with its sync: the store behind the core feature (kit.members)."""
