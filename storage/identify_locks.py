"""The identify buckets of bot/identify.py on PostgreSQL: a session advisory lock per bucket.

`pg_advisory_lock(namespace, bucket)` waits until no other session holds the bucket, on any
machine that reaches the database, and the lock lives exactly as long as the holding session:
a process that dies mid-identify frees its bucket when PostgreSQL sees its connection close.
Each hold has a connection of its own, returned to the pool only after an explicit unlock (a
session lock would otherwise outlive the hold inside the pooled connection); a connection whose
unlock failed is thrown away instead.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.identify import BucketHold, IdentifyBuckets, LocalBuckets
from storage.db import Database

IDENTIFY_LOCKS = 0x706C6964
"""The advisory lock namespace of identify buckets ("plid"); migrations use another key."""
_LOCK = text("SELECT pg_advisory_lock(:namespace, :bucket)")
_UNLOCK = text("SELECT pg_advisory_unlock(:namespace, :bucket)")


class _AdvisoryHold:
    def __init__(self, conn: AsyncConnection, bucket: int) -> None:
        self._conn = conn
        self._bucket = bucket

    async def release(self) -> None:
        conn = self._conn
        if conn.closed:
            return
        try:
            await conn.execute(_UNLOCK, {"namespace": IDENTIFY_LOCKS, "bucket": self._bucket})
            await conn.commit()
        except BaseException:
            await conn.invalidate()  # closing the session frees the lock
            raise
        finally:
            await conn.close()


class AdvisoryBuckets:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def acquire(self, bucket: int) -> BucketHold:
        conn = await self._db.engine.connect()
        try:
            await conn.execute(_LOCK, {"namespace": IDENTIFY_LOCKS, "bucket": bucket})
            await conn.commit()
        except BaseException:  # cancelled while waiting, too: never pool a session that may hold it
            await conn.invalidate()
            await conn.close()
            raise
        return _AdvisoryHold(conn, bucket)


def identify_buckets(db: Database) -> IdentifyBuckets:
    """PostgreSQL: shared by every process on the database; SQLite: this process only."""
    return LocalBuckets() if db.is_sqlite else AdvisoryBuckets(db)
