"""Property: whatever mix of concurrent /kudos arrives at once, the store keeps, per giver,
exactly min(quota, distinct receivers asked) kudos and never one pair twice within the cooldown -
the answer a one-at-a-time run would give, in whatever order the database took them."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.features.recognition.ports import KudosRefused
from storage.db import Database
from storage.recognition import SqlRecognitionStore
from storage.recognition_tables import kudos

NOW = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
GIVERS = ["anna", "bob"]
RECEIVERS = ["carla", "dirk", "eva", "femke"]

requests = st.lists(
    st.tuples(st.sampled_from(GIVERS), st.sampled_from(RECEIVERS)), min_size=1, max_size=24
)


async def give_all(url: str, run: str, quota: int, asked: list[tuple[str, str]]) -> list[bool]:
    db = Database.from_url(url)
    store = SqlRecognitionStore(db)

    async def give(giver: str, receiver: str) -> bool:
        try:
            await store.add_kudos(
                giver_id=f"{run}:{giver}",
                receiver_id=f"{run}:{receiver}",
                reason="dank",
                channel="algemeen",
                row=(
                    f"{run}:{receiver}",
                    "kudos_received",
                    "algemeen",
                    NOW,
                    0,
                    None,
                    5,
                    NOW.date(),
                ),
                quota_since=NOW - timedelta(days=1),
                quota=quota,
                pair_since=NOW - timedelta(hours=12),
            )
        except KudosRefused:
            return False
        return True

    try:
        return list(await asyncio.gather(*(give(g, r) for g, r in asked)))
    finally:
        await db.close()


async def stored_pairs(url: str, run: str) -> list[tuple[str, str]]:
    db = Database.from_url(url)
    try:
        async with db.connect() as conn:
            rows = await conn.execute(
                select(kudos.c.giver_id, kudos.c.receiver_id).where(
                    kudos.c.giver_id.like(f"{run}:%")
                )
            )
            return [(g.split(":", 1)[1], r.split(":", 1)[1]) for g, r in rows]
    finally:
        await db.close()


def test_concurrent_kudos_keep_quota_and_cooldown(storage_url: str) -> None:
    """On SQLite and on PostgreSQL (`storage_url`: each giver's concurrent tasks race for real
    on PostgreSQL's row and advisory locks, on one connection each)."""

    async def migrate() -> None:
        db = Database.from_url(storage_url)
        await db.migrate()
        await db.close()

    asyncio.run(migrate())

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(quota=st.integers(0, 4), asked=requests)
    def check(quota: int, asked: list[tuple[str, str]]) -> None:
        run = uuid.uuid4().hex[:8]
        told = asyncio.run(give_all(storage_url, run, quota, asked))
        pairs = asyncio.run(stored_pairs(storage_url, run))
        assert sum(told) == len(pairs)  # "sent" exactly for what was stored
        assert len(set(pairs)) == len(pairs)  # no pair twice within the cooldown
        per_giver = Counter(g for g, _ in pairs)
        for giver in GIVERS:
            wanted = len({r for g, r in asked if g == giver})
            assert per_giver[giver] == min(quota, wanted)

    check()
