"""The dashboard's storage on SQLite and on a real PostgreSQL: one-time links and the ladder."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.features.dashboard.access import LINK_VALID, new_link, token_hash
from storage.dashboard import SqlDashboardStore
from tests.report.seed import record_contributions, seed

NOW = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)


async def test_a_link_is_redeemed_once_even_by_racing_requests(store: SqlDashboardStore) -> None:
    token = await new_link(store, NOW)
    results = await asyncio.gather(
        *(store.redeem_link(token_hash(token), NOW + timedelta(minutes=1)) for _ in range(8))
    )
    assert sorted(results) == [False] * 7 + [True]
    assert not await store.redeem_link(token_hash(token), NOW + timedelta(minutes=2))


async def test_a_link_expires(store: SqlDashboardStore) -> None:
    token = await new_link(store, NOW)
    assert not await store.redeem_link(token_hash(token), NOW + LINK_VALID)
    assert not await store.redeem_link(token_hash("guessed"), NOW)


async def test_spent_and_expired_links_are_pruned(store: SqlDashboardStore) -> None:
    old = await new_link(store, NOW - timedelta(hours=1))
    fresh = await new_link(store, NOW)
    assert await store.prune_links(NOW - LINK_VALID) == 1
    assert not await store.redeem_link(token_hash(old), NOW - timedelta(minutes=55))
    assert await store.redeem_link(token_hash(fresh), NOW)


async def test_the_ladder_ranks_present_members_by_points_and_hides_opt_outs(
    store: SqlDashboardStore,
) -> None:
    db = store.db
    joined = NOW - timedelta(days=30)
    people = ["ann", "bob", "cem", "dia", "eli"]
    await seed(
        db,
        "members",
        [
            {
                "id": f"console:{p}",
                "name": p,
                "is_bot": False,
                "first_joined_at": joined,
                "joined_at": joined,
                "left_at": NOW - timedelta(days=1) if p == "eli" else None,
            }
            for p in people
        ],
    )
    await seed(db, "spotlight_prefs", [{"member_id": "console:dia", "choice": "out", "at": NOW}])
    rows = [
        *(("console:ann", "message", NOW - timedelta(days=d)) for d in (1, 2, 3)),
        ("console:bob", "reply", NOW - timedelta(days=1)),
        ("console:cem", "message", NOW - timedelta(days=20)),  # outside the week
        *(("console:dia", "message", NOW - timedelta(days=1)) for _ in range(5)),
        *(("console:eli", "message", NOW - timedelta(days=3)) for _ in range(5)),  # left
    ]
    await record_contributions(db, rows, UTC)
    ladder = await store.ladder(date(2026, 3, 17), date(2026, 3, 23), NOW, limit=10)
    assert [(r.member_id, r.kinds) for r in ladder] == [
        ("console:ann", {"message": 3}),
        ("console:bob", {"reply": 1}),
    ]
    assert ladder[0].points > ladder[1].points > 0
    assert await store.hidden_members() == {"console:dia"}
    assert await store.present_ids(["ann", "console:bob", "eli", "nobody"], NOW) == {
        "ann",
        "console:bob",
    }
