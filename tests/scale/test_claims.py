"""Leased claims (storage/claims.py) on SQLite and PostgreSQL: one winner among many processes,
a dead holder's claim taken over after its lease, finished work never claimed again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.leases import Lease, LeaseBoard
from storage.claims import Claims
from storage.db import Database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def process(db: Database, name: str) -> Claims:
    return Claims(db, owner=name, lease=LEASE)


async def test_one_of_many_concurrent_claimers_wins(storage_url: str) -> None:
    # Each "process" has its own engine, as separate processes would.
    dbs = [Database.from_url(storage_url) for _ in range(6)]
    await dbs[0].migrate()
    try:
        claimers = [process(db, f"p{n}") for n, db in enumerate(dbs)]
        for key in range(20):
            got = await asyncio.gather(*(c.claim("calendar.post", str(key), NOW) for c in claimers))
            assert sum(claim is not None for claim in got) == 1, key
    finally:
        for db in dbs:
            await db.close()


async def test_a_dead_holders_claim_is_taken_over_after_the_lease(database: Database) -> None:
    dead, alive = process(database, "dead"), process(database, "alive")
    first = await dead.claim("poll.close", "7", NOW)
    assert first is not None and not first.taken_over
    await dead.record("poll.close", "7", "1800000000.000100")  # posted, then SIGKILL
    assert await alive.claim("poll.close", "7", NOW + LEASE - timedelta(seconds=1)) is None
    assert await alive.abandoned("poll.close", NOW + LEASE - timedelta(seconds=1)) == []
    assert await alive.next_expiry("poll.close") == NOW + LEASE
    later = NOW + LEASE
    assert await alive.abandoned("poll.close", later) == ["7"]  # the lease ran out
    taken = await alive.claim("poll.close", "7", later)
    assert taken is not None and taken.taken_over
    assert taken.ref == "1800000000.000100"  # the post the dead process made: reconcile, not repost
    assert await dead.claim("poll.close", "7", later) is None  # the new lease holds


async def test_finished_work_is_never_claimed_again(database: Database) -> None:
    a, b = process(database, "a"), process(database, "b")
    assert await a.claim("welcome", "slack:U1#1", NOW) is not None
    await a.done("welcome", "slack:U1#1", NOW)
    assert await b.claim("welcome", "slack:U1#1", NOW + timedelta(days=30)) is None
    assert await b.next_expiry("welcome") is None
    assert await b.prune(NOW + timedelta(days=1)) == 1


async def test_only_the_holder_records_a_ref(database: Database) -> None:
    holder, other = process(database, "holder"), process(database, "other")
    await holder.claim("calendar.post", "3", NOW)
    await other.record("calendar.post", "3", "not mine")
    taken = await other.claim("calendar.post", "3", NOW + LEASE * 2)
    assert taken is not None and taken.ref is None


async def test_processes_starting_at_once_migrate_one_at_a_time(postgres_url: str) -> None:
    """A fresh (or older) database and several processes starting together: each migrates or
    finds it migrated; none fails on a table another one just created. PostgreSQL only: that is
    where several processes with a scheduler run (on SQLite a second one is refused)."""
    dbs = [Database.from_url(postgres_url) for _ in range(3)]
    try:
        await asyncio.gather(*(db.migrate() for db in dbs))
        assert {await db.readiness() for db in dbs} == {None}
    finally:
        for db in dbs:
            await db.close()


async def test_renewing_tells_a_slow_holder_whether_the_claim_is_still_its_own(
    database: Database,
) -> None:
    slow, other = process(database, "slow"), process(database, "other")
    mine = await slow.claim("onboarding.welcome", "70", NOW)
    assert mine is not None
    assert await slow.renew(mine, NOW + timedelta(minutes=1))
    assert await other.abandoned("onboarding.welcome", NOW + LEASE) == []  # renewed from 09:01
    later = NOW + timedelta(hours=1)  # the holder stalled far beyond its lease
    taken = await other.claim("onboarding.welcome", "70", later)
    assert taken is not None and taken.taken_over
    assert not await slow.renew(mine, later)  # lost: it must not post
    assert await other.renew(taken, later)
    close = await slow.claim("poll.close", "8", NOW)
    assert close is not None
    assert await slow.renew(close, later)  # ran out, but nobody took it: still its own
    await slow.done("poll.close", "8", later)
    assert not await slow.renew(close, later)  # finished work is nobody's to renew


async def test_a_holder_that_lost_its_lease_while_working_does_not_post(
    database: Database,
) -> None:
    clock = ManualClock(NOW)
    slow, other = (
        LeaseBoard(process(database, "slow"), clock),
        LeaseBoard(process(database, "other"), clock),
    )
    posted: list[str] = []

    async def post_if_held(board: LeaseBoard, name: str, lease: Lease) -> None:
        if await board.holds(lease):
            posted.append(name)

    async def other_posts(key: str, lease: Lease, now: datetime) -> None:
        await post_if_held(other, "other", lease)

    async def slow_posts(key: str, lease: Lease, now: datetime) -> None:
        clock.set(NOW + timedelta(hours=1))  # a stall while composing: the lease runs out ...
        await other.run_due(clock.now())  # ... and the other process takes the work over
        await post_if_held(slow, "slow", lease)

    other.work("onboarding.welcome", other_posts)
    work = slow.work("onboarding.welcome", slow_posts)
    assert await work.run("70", NOW)
    assert posted == ["other"]  # once, by the process that holds the claim


async def test_a_holder_that_lost_its_lease_does_not_finish_the_takers_work(
    database: Database,
) -> None:
    clock = ManualClock(NOW)
    other_claims = process(database, "other")
    slow, other = LeaseBoard(process(database, "slow"), clock), LeaseBoard(other_claims, clock)
    taken: list[Lease] = []

    async def slow_posts(key: str, lease: Lease, now: datetime) -> None:
        clock.set(NOW + timedelta(hours=1))  # stalled past the lease; the other process takes
        claim = await other_claims.claim("onboarding.welcome", key, clock.now())  # it over and
        assert claim is not None and claim.taken_over  # is still composing when ...
        taken.append(claim)
        assert not await slow.holds(lease)  # ... the slow one gives up (and run() finishes)

    work = slow.work("onboarding.welcome", slow_posts)
    assert await work.run("70", NOW)
    assert await other.holds(taken[0])  # the taker's claim is still open: it posts
    await other_claims.finish(taken[0], clock.now())
    assert not await other.holds(taken[0])
