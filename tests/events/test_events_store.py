"""The events' store on both databases: the waiting list, sends and attendance claimed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.features.events.ports import NewEvent, Rsvp
from storage.db import Database
from storage.events import SqlEventStore

NOW = datetime(2026, 3, 27, 9, tzinfo=UTC)


def walk(limit: int | None = 2, source: str | None = None) -> NewEvent:
    starts = NOW + timedelta(days=2)
    return NewEvent(
        title="Bird walk",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="De Ring",
        channel="agenda",
        created_by="t:mia",
        limit=limit,
        hosts=("t:mia",),
        source_key=source,
    )


async def test_the_last_places_go_to_the_first_and_a_freed_place_to_the_waiting(
    database: Database,
) -> None:
    store = SqlEventStore(database)
    event = await store.create(walk(), NOW)
    assert event is not None and event.hosts == ("t:mia",)
    results = await asyncio.gather(
        *(store.rsvp(event.id, f"t:{n}", Rsvp.GOING, NOW) for n in ("a", "b", "c", "d"))
    )
    assert sorted(r.status for r in results) == ["going", "going", "waiting", "waiting"]
    counts = await store.counts(event.id)
    assert (counts.going, counts.waiting) == (2, 2)
    going = await store.members(event.id, Rsvp.GOING)
    waiting = await store.members(event.id, Rsvp.WAITING)
    again = await store.rsvp(event.id, waiting[0], Rsvp.GOING, NOW)
    assert again.status is Rsvp.WAITING  # asking twice does not jump the line
    freed = await store.rsvp(event.id, going[0], Rsvp.NOT_GOING, NOW + timedelta(minutes=1))
    assert freed.promoted == waiting[0]
    assert (freed.counts.going, freed.counts.waiting, freed.counts.not_going) == (2, 1, 1)


async def test_sends_attendance_and_sources_happen_once(database: Database) -> None:
    store = SqlEventStore(database)
    event = await store.create(walk(None, source="calendar:12"), NOW)
    assert event is not None
    assert await store.create(walk(None, source="calendar:12"), NOW) is None
    claims = await asyncio.gather(
        *(store.claim_send(event.id, "remind:3600", NOW) for _ in range(3))
    )
    assert sorted(claims) == [False, False, True]
    assert await store.sent([event.id]) == {(event.id, "remind:3600")}
    await store.rsvp(event.id, "t:a", Rsvp.GOING, NOW)
    assert await store.record_attendance(event.id, "t:a", "t:mia", NOW)
    assert not await store.record_attendance(event.id, "t:a", "t:mia", NOW)
    figures = await store.figures(NOW, NOW + timedelta(days=7))
    assert (figures.events, figures.going, figures.attended) == (1, 1, 1)
    assert await store.cancel(event.id) and not await store.cancel(event.id)
    assert await store.upcoming(NOW) == []
    exported = await store.export_member("t:a")
    assert exported["attended"][0]["event"] == "Bird walk"
    await store.erase_member("t:a")
    assert await store.export_member("t:a") == {"rsvps": [], "attended": [], "hosted": []}


async def test_interest_marks_come_and_go_and_are_erased_with_the_member(
    database: Database,
) -> None:
    store = SqlEventStore(database)
    event = await store.create(walk(None), NOW)
    assert event is not None
    await store.claim_send(event.id, "remind:3600", NOW)
    for member in ("t:a", "t:b", "t:a"):  # marking twice is harmless
        await store.mark_interest(event.id, member, True, NOW)
    assert await store.interest_marks(event.id) == {"t:a", "t:b"}
    await store.mark_interest(event.id, "t:b", False, NOW)
    await store.mark_interest(event.id, "t:c", False, NOW)  # never marked
    assert await store.interest_marks(event.id) == {"t:a"}
    await store.erase_member("t:a")
    assert await store.interest_marks(event.id) == set()
    assert await store.sent([event.id]) == {(event.id, "remind:3600")}  # sends stay
