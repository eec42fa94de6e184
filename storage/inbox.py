"""The durable inbox's table: every acknowledged platform event, unique on its event id.

The unique key is the dedupe that survives restarts and works across processes: an INSERT ...
ON CONFLICT DO NOTHING ... RETURNING tells each writer which ids it stored first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Column, Index, String, Table, Text, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.inbox import InboxEntry
from storage.db import Database
from storage.schema import UtcDateTime, conflict_insert, metadata

EVENT_ID_LENGTH = 200

inbox = Table(
    "inbox",
    metadata,
    Column("event_id", String(EVENT_ID_LENGTH), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=True),
    Column("received_at", UtcDateTime, nullable=False),
    Column("processed_at", UtcDateTime, nullable=True),
)
Index("ix_inbox_processed_at", inbox.c.processed_at)


EFFECT_KIND = "effect"
EFFECT_PREFIX = "effect:"
"""Effect keys share the inbox table (and its retention) under their own prefix and kind."""


async def claim_effect(conn: AsyncConnection, event_id: str, at: datetime) -> bool:
    """In the caller's transaction: True the first time an effect of `event_id` is stored.

    For effects that are not idempotent on their own (a reaction's points, a multi-choice
    toggle): the key commits with the effect or not at all, so an event the inbox hands back
    after a crash (effect stored, processed mark not) finds its key and changes nothing. The row
    is born processed, so the inbox's daily prune forgets it after the retention."""
    key = EFFECT_PREFIX + event_id
    if len(key) > EVENT_ID_LENGTH:  # a long custom emoji in a reaction's id
        key = EFFECT_PREFIX + hashlib.sha256(event_id.encode()).hexdigest()
    stmt = (
        conflict_insert(conn.dialect.name)(inbox)
        .values(
            event_id=key,
            kind=EFFECT_KIND,
            payload=None,
            received_at=at,
            processed_at=at,
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(inbox.c.event_id)
    )
    return (await conn.execute(stmt)).first() is not None


class SqlInboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, entries: Sequence[InboxEntry]) -> set[str]:
        if not entries:
            return set()
        async with self.db.begin(urgent=True) as conn:  # an ack waits for this commit
            stmt = (
                conflict_insert(conn.dialect.name)(inbox)
                .on_conflict_do_nothing(index_elements=["event_id"])
                .returning(inbox.c.event_id)
            )
            rows = [
                {
                    "event_id": e.event_id,
                    "kind": e.kind,
                    "payload": e.payload,
                    "received_at": e.received_at,
                    # An id only remembered for dedupe has nothing left to do.
                    "processed_at": e.received_at if e.payload is None else None,
                }
                for e in entries
            ]
            result = await conn.execute(stmt, rows)
            return {row.event_id for row in result}

    async def mark_processed(self, event_ids: Sequence[str], at: datetime) -> None:
        if not event_ids:
            return
        async with self.db.begin() as conn:
            await conn.execute(
                update(inbox)
                .where(inbox.c.event_id.in_(list(event_ids)))
                .values(processed_at=at, payload=None)
            )

    async def unprocessed(self, kind_prefix: str) -> list[InboxEntry]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(inbox)
                .where(inbox.c.processed_at.is_(None), inbox.c.kind.startswith(kind_prefix))
                .order_by(inbox.c.received_at, inbox.c.event_id)
            )
            return [InboxEntry(r.event_id, r.kind, r.payload, r.received_at) for r in rows]

    async def prune(self, before: datetime) -> int:
        async with self.db.begin() as conn:
            result = await conn.execute(
                delete(inbox).where(
                    inbox.c.processed_at.is_not(None), inbox.c.processed_at < before
                )
            )
            return int(result.rowcount or 0)
