"""The introductions' store on both databases: a round is made once, each send claimed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.features.intros.pairing import Group
from storage.db import Database
from storage.intros import SqlIntrosStore
from storage.member_sync import SqlMembers

NOW = datetime(2026, 3, 23, 9, tzinfo=UTC)


async def community(db: Database) -> SqlIntrosStore:
    members = SqlMembers(db)
    store = SqlIntrosStore(db)
    for name in ("anna", "bram", "carla", "daan", "eva"):
        await members.record_join(f"t:{name}", name, False, NOW - timedelta(days=100))
        await store.join(f"t:{name}", NOW - timedelta(days=1))
    await members.record_leave("t:eva", NOW - timedelta(hours=1))
    return store


async def test_a_round_is_made_once_even_when_two_processes_race(database: Database) -> None:
    store = await community(database)
    assert [m.member_id for m in await store.opted_in()] == [
        "t:anna",
        "t:bram",
        "t:carla",
        "t:daan",
    ]
    assert await store.skip("t:daan", NOW)
    groups = [Group(("t:anna", "t:bram", "t:carla"), ("birds",), third="t:carla")]
    due = NOW + timedelta(days=7)
    made = await asyncio.gather(
        *(
            store.create_round(NOW, 1, groups, ["t:daan"], now=NOW, followup_due=due)
            for _ in range(4)
        )
    )
    assert sorted(made) == [False, False, False, True]
    [row] = await store.unsent()
    assert row.members == ("t:anna", "t:bram", "t:carla")
    claims = await asyncio.gather(*(store.claim_send(row.id, NOW) for _ in range(4)))
    assert sorted(claims) == [False, False, False, True]
    assert await store.unsent() == []
    daan = await store.optin("t:daan")
    assert daan is not None and not daan.skip_next  # the skip was used up by this round
    assert {m.member_id: m.trios for m in await store.opted_in()}["t:carla"] == 1
    last = await store.last_met()
    assert last == {
        ("t:anna", "t:bram"): NOW,
        ("t:anna", "t:carla"): NOW,
        ("t:bram", "t:carla"): NOW,
    }


async def test_followups_answers_figures_and_erasure(database: Database) -> None:
    store = await community(database)
    due = NOW + timedelta(days=7)
    await store.create_round(
        NOW, 1, [Group(("t:anna", "t:bram"), ())], [], now=NOW, followup_due=due
    )
    [row] = await store.unsent()
    assert await store.next_followup_due() is None  # not sent yet: nothing to follow up
    await store.claim_send(row.id, NOW)
    assert await store.next_followup_due() == due
    assert await store.due_followups(due - timedelta(seconds=1), 10) == []
    assert [r.id for r in await store.due_followups(due, 10)] == [row.id]
    assert await store.claim_followup(row.id, due) and not await store.claim_followup(row.id, due)
    assert await store.record_met(row.id, "t:anna", True, due)
    assert not await store.record_met(row.id, "t:carla", True, due)  # not in this group
    figures = await store.figures(NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert (figures.groups, figures.answered, figures.met) == (1, 0, 0)  # answered a week later
    figures = await store.figures(due - timedelta(days=1), due + timedelta(days=1))
    assert (figures.groups, figures.answered, figures.met) == (0, 1, 1)
    exported = await store.export_member("t:anna")
    assert exported["opted_in"] and exported["introductions"][0]["met"] is True
    await store.erase_member("t:anna")
    assert await store.optin("t:anna") is None
    assert (await store.export_member("t:anna"))["introductions"] == []
