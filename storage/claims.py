"""Leased claims on due work, shared by every store whose work any process may run.

One row per piece of work (kind, key). A process claims it with one atomic statement:

    INSERT ... ON CONFLICT (kind, key) DO UPDATE ... WHERE done_at IS NULL AND lease_until <= now
    RETURNING ...

so of any number of processes exactly one gets a row back: the first to insert it, or, once the
lease of a process that died half-way has expired, the first to take it over. PostgreSQL locks
the conflicting row, so a concurrent claimer waits and then sees the winner's lease; SQLite has
one writer at a time. No leader, no broker. A claim is finished with `done`; before that the
claimer may `record` what it posted (a message ts), so that a process taking over can see the
post was made and not make it again.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import (
    Column,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import ColumnElement, Executable, Update

from bot.leases import Lease
from storage.db import Database
from storage.schema import UtcDateTime, conflict_insert, metadata

DEFAULT_LEASE = timedelta(minutes=2)
"""A claim not finished within this long is taken to be a dead process's and may be taken over.
Longer than any one post takes (a Slack call retried with backoff), short enough that a post is
at most this late after a crash."""

work_claims = Table(
    "work_claims",
    metadata,
    Column("kind", String(40), nullable=False),
    Column("key", String(200), nullable=False),
    Column("owner", String(100), nullable=False),
    Column("lease_until", UtcDateTime, nullable=False, index=True),
    Column("attempts", Integer, nullable=False),
    Column("ref", String(200), nullable=True),
    Column("done_at", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("kind", "key", name="pk_work_claims"),
)


def process_owner() -> str:
    """Who holds a claim: host, pid and a random part (pids repeat after a restart)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


Claim = Lease
"""The storage name of a lease (bot/leases.py)."""


class _NotDue(Exception):
    """The work's own row says it is not due any more: roll the claim back too."""


class Claims:
    def __init__(self, db: Database, *, owner: str | None = None, lease: timedelta = DEFAULT_LEASE):
        self.db = db
        self.owner = owner or process_owner()
        self.lease = lease

    async def claim(self, kind: str, key: str, now: datetime) -> Claim | None:
        """The claim on (kind, key) for this process, or None when another holds it or it is done."""
        async with self.db.begin() as conn:
            return await self.claim_in(conn, kind, key, now)

    async def claim_with(
        self, kind: str, key: str, now: datetime, mark: Executable
    ) -> Claim | None:
        """`claim` and, on a first claim, the work row's own conditional update `mark` in the
        same transaction: None (and nothing changed) when `mark` changes no row. A takeover skips
        `mark`: the process that died had committed it with its claim."""
        try:
            async with self.db.begin() as conn:
                claim = await self.claim_in(conn, kind, key, now)
                if claim is None or claim.taken_over:
                    return claim
                if (await conn.execute(mark)).rowcount != 1:
                    raise _NotDue
                return claim
        except _NotDue:
            return None

    async def claim_in(
        self, conn: AsyncConnection, kind: str, key: str, now: datetime
    ) -> Claim | None:
        """`claim` inside the caller's transaction (with the store's own conditional update)."""
        insert = conflict_insert(conn.dialect.name)(work_claims)
        stmt = (
            insert.values(
                kind=kind,
                key=key,
                owner=self.owner,
                lease_until=now + self.lease,
                attempts=1,
            )
            .on_conflict_do_update(
                index_elements=["kind", "key"],
                set_={
                    "owner": insert.excluded.owner,
                    "lease_until": insert.excluded.lease_until,
                    "attempts": work_claims.c.attempts + 1,
                },
                where=and_(work_claims.c.done_at.is_(None), work_claims.c.lease_until <= now),
            )
            .returning(work_claims.c.attempts, work_claims.c.ref)
        )
        row = (await conn.execute(stmt)).one_or_none()
        return None if row is None else Claim(kind, key, row.attempts, row.ref, self.owner)

    async def record(self, kind: str, key: str, ref: str) -> None:
        """Before `done`: what was posted, so that a takeover reconciles instead of posting again."""
        async with self.db.begin() as conn:
            await conn.execute(self._own(kind, key).values(ref=ref[:200]))

    async def renew(self, lease: Claim, now: datetime) -> bool:
        """Still the holder's claim? Then its lease runs from `now` again. False when another
        process took it over (the holder was too slow, not dead) or the work is finished."""
        async with self.db.begin() as conn:
            result = await conn.execute(self._held(lease).values(lease_until=now + self.lease))
            return (result.rowcount or 0) == 1

    async def release(self, lease: Claim, now: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(self._held(lease).values(lease_until=now))

    async def done(self, kind: str, key: str, now: datetime) -> None:
        async with self.db.begin() as conn:
            await self.done_in(conn, kind, key, now)

    async def finish(self, lease: Claim, now: datetime) -> None:
        """`done`, only while the claim is still `lease`'s holder's."""
        async with self.db.begin() as conn:
            await conn.execute(self._held(lease).values(done_at=now))

    async def done_in(self, conn: AsyncConnection, kind: str, key: str, now: datetime) -> None:
        await conn.execute(
            update(work_claims)
            .where(work_claims.c.kind == kind, work_claims.c.key == key)
            .values(done_at=now)
        )

    async def abandoned(self, kind: str, now: datetime) -> list[str]:
        """Keys of `kind` claimed, never finished, whose lease has run out: work to take over."""
        return [key for _, key in await self.abandoned_of((kind,), now)]

    async def abandoned_of(self, kinds: Collection[str], now: datetime) -> list[tuple[str, str]]:
        """(kind, key) of the open claims of these kinds whose lease has run out, oldest first."""
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(work_claims.c.kind, work_claims.c.key)
                .where(*self._open(kinds), work_claims.c.lease_until <= now)
                .order_by(work_claims.c.lease_until, work_claims.c.kind, work_claims.c.key)
            )
            return [(r.kind, r.key) for r in rows]

    async def next_expiry(self, kind: str) -> datetime | None:
        """When the earliest unfinished claim of `kind` may be taken over (None: there is none)."""
        return await self.next_expiry_of((kind,))

    async def next_expiry_of(self, kinds: Collection[str]) -> datetime | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.min(work_claims.c.lease_until)).where(*self._open(kinds))
                )
            ).scalar_one()

    async def prune(self, before: datetime) -> int:
        """Finished claims older than `before` (the work's own row keeps it from repeating)."""
        async with self.db.begin() as conn:
            result = await conn.execute(
                work_claims.delete().where(
                    work_claims.c.done_at.is_not(None), work_claims.c.done_at < before
                )
            )
            return int(result.rowcount or 0)

    @staticmethod
    def _held(lease: Claim) -> Update:
        return update(work_claims).where(
            work_claims.c.kind == lease.kind,
            work_claims.c.key == lease.key,
            work_claims.c.owner == lease.owner,
            work_claims.c.done_at.is_(None),
        )

    def _own(self, kind: str, key: str) -> Update:
        return update(work_claims).where(
            work_claims.c.kind == kind,
            work_claims.c.key == key,
            work_claims.c.owner == self.owner,
        )

    @staticmethod
    def _open(kinds: Collection[str]) -> tuple[ColumnElement[bool], ...]:
        return (work_claims.c.kind.in_(list(kinds)), work_claims.c.done_at.is_(None))
