"""Discord's identify rate limit, shared by every process of one bot: at most one IDENTIFY per
bucket (`shard_id % max_concurrency`) per identify interval.

The Discord adapter holds a bucket from just before an IDENTIFY until the interval after that
shard's READY (adapters/discord/shards.py). Holding it is this port: on PostgreSQL an advisory
lock per bucket, so processes on other machines wait their turn (storage/identify_locks.py); on
SQLite, which runs one process, a lock per bucket in this process (`LocalBuckets`).
"""

from __future__ import annotations

import asyncio
from typing import Protocol


class BucketHold(Protocol):
    async def release(self) -> None:
        """Let the next shard of this bucket (in any process) identify."""


class IdentifyBuckets(Protocol):
    async def acquire(self, bucket: int) -> BucketHold:
        """Wait until no one holds `bucket`, then hold it until `release`."""


class _LocalHold:
    def __init__(self, lock: asyncio.Lock) -> None:
        self._lock = lock

    async def release(self) -> None:
        if self._lock.locked():
            self._lock.release()


class LocalBuckets:
    """One process (SQLite, or shards all in one process): a lock per bucket."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}

    async def acquire(self, bucket: int) -> BucketHold:
        lock = self._locks.setdefault(bucket, asyncio.Lock())
        await lock.acquire()
        return _LocalHold(lock)
