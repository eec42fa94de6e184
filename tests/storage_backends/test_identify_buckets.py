"""Discord's identify buckets (bot/identify.py): one holder per bucket, on either backend. On
PostgreSQL a second process (here: a second Database) waits for the first's release, and a
holder that dies frees its bucket."""

from __future__ import annotations

import asyncio

from storage.db import Database
from storage.identify_locks import identify_buckets


async def test_a_bucket_has_one_holder_until_released(storage_url: str, backend: str) -> None:
    first, second = Database.from_url(storage_url), Database.from_url(storage_url)
    await first.migrate()
    buckets = identify_buckets(first)
    other = buckets if backend == "sqlite" else identify_buckets(second)  # SQLite: one process
    try:
        hold = await buckets.acquire(0)
        waiting = asyncio.ensure_future(other.acquire(0))
        free = await asyncio.wait_for(other.acquire(1), 10)  # another bucket is free
        await asyncio.sleep(0.2)  # real time for the database to answer, not a timing claim
        assert not waiting.done()
        await hold.release()
        taken = await asyncio.wait_for(waiting, 10)
        await taken.release()
        await free.release()
        if backend == "postgres":  # a holder whose process dies frees the bucket
            await buckets.acquire(0)
            await first.close()
            await (await asyncio.wait_for(other.acquire(0), 10)).release()
    finally:
        await first.close()
        await second.close()
