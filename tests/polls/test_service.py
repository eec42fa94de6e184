"""Service-level properties on the real app and a real SQLite file: races, exactly-once, privacy."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import Plein
from bot.events import Actor, ChoicePicked, Interaction, MessagePosted
from bot.features.polls import PollsService
from bot.features.polls.ports import PollKind, VoteStatus
from bot.features.polls.service import PollRequest
from bot.signals import Contributed, ContributionKind
from storage.polls import poll_ballots, poll_votes, polls
from tests.polls.conftest import QUIET
from tests.support import ConsoleRun


@dataclass
class App:
    plein: Plein
    adapter: ConsoleAdapter
    out: Any

    @property
    def polls(self) -> PollsService:
        return self.plein.features["polls"]

    def now(self) -> datetime:
        return self.plein.clock.now()

    async def pick(self, name: str, choice: str, n: int = 0) -> None:
        actor = Actor(f"console:{name}", name)
        await self.plein.dispatch(
            ChoicePicked(
                actor=actor,
                message_ref="1",
                choice_id=choice,
                interaction=Interaction(id=f"{name}@algemeen", channel="algemeen"),
            )
        )

    async def rows(self, table: Any) -> list[Any]:
        async with self.plein.db.connect() as conn:
            return list((await conn.execute(select(table))).all())


@pytest.fixture
async def app(tmp_path: Path, storage_url: str) -> AsyncIterator[App]:
    run = ConsoleRun(db_path=tmp_path / "plein.db", env=dict(QUIET), storage_url=storage_url)
    plein, adapter, out = await run.start()
    adapter.host = plein  # what adapter.run() does before feeding lines
    await plein.ready()
    try:
        yield App(plein, adapter, out)
    finally:
        await plein.close()


def request(**kwargs: Any) -> PollRequest:
    base: dict[str, Any] = {"question": "Welke dag?", "options": ("Ma", "Di", "Wo", "Do")}
    base.update(kwargs)
    return PollRequest(channel="algemeen", creator_id="console:anna", **base)


async def test_fifty_members_tapping_five_times_concurrently_single_choice(app: App) -> None:
    poll = await app.polls.create(request())
    votes: list[Contributed] = []

    async def count(signal: Contributed) -> None:
        votes.append(signal)

    app.plein.kit.signals.subscribe(Contributed, count)
    rng = random.Random(5)
    taps = [
        app.pick(f"m{m}", f"poll:{poll.id}:{rng.randint(1, 4)}")
        for m in range(50)
        for _ in range(5)
    ]
    rng.shuffle(taps)
    await asyncio.gather(*taps)
    ballots = await app.rows(poll_ballots)
    rows = await app.rows(poll_votes)
    assert len(ballots) == 50 and {b.member_id for b in ballots} == {
        f"console:m{m}" for m in range(50)
    }
    assert len(rows) == 50 and sorted(r.ballot_id for r in rows) == sorted(b.id for b in ballots)
    tally = await app.polls.store.tally(poll.id)
    assert tally.voters == 50 and sum(tally.counts.values()) == 50
    assert [v.kind for v in votes] == [ContributionKind.VOTE] * 50
    assert "Er ging bij mij iets mis" not in app.out.getvalue()


async def test_fifty_members_concurrent_multi_choice_toggles_end_in_the_right_sets(
    app: App,
) -> None:
    poll = await app.polls.create(request(max_choices=4))
    rng = random.Random(7)
    plan = {f"m{m}": [rng.randint(1, 4) for _ in range(5)] for m in range(50)}
    taps = [app.pick(name, f"poll:{poll.id}:{p}") for name, picks in plan.items() for p in picks]
    rng.shuffle(taps)
    await asyncio.gather(*taps)
    # Toggles commute: an option tapped an odd number of times is on.
    expected = {
        f"console:{name}": {p for p in set(picks) if picks.count(p) % 2}
        for name, picks in plan.items()
    }
    ballots = {b.id: b.member_id for b in await app.rows(poll_ballots)}
    got: dict[str, set[int]] = {member: set() for member in ballots.values()}
    for row in await app.rows(poll_votes):
        got[ballots[row.ballot_id]].add(row.position)
    assert got == expected


async def test_concurrent_closes_announce_exactly_once(app: App) -> None:
    poll = await app.polls.create(request(duration=timedelta(hours=1)))
    await app.pick("bob", f"poll:{poll.id}:2")
    later = app.now() + timedelta(hours=2)
    results = await asyncio.gather(
        app.polls.close(poll.id, later),
        app.polls.close(poll.id, later),
        app.polls.run_closes(later),
        app.polls.run_closes(later),
    )
    assert results.count(True) == 1
    finals = [line for line in app.out.getvalue().splitlines() if "is gesloten" in line]
    assert len([f for f in finals if '"action": "post"' in f]) == 1


async def test_a_stale_click_on_a_closed_poll_changes_nothing(app: App) -> None:
    poll = await app.polls.create(request(duration=timedelta(hours=1)))
    await app.pick("bob", f"poll:{poll.id}:1")
    assert await app.polls.close(poll.id, app.now())
    await app.pick("carla", f"poll:{poll.id}:2")
    await app.pick("bob", f"poll:{poll.id}:3")
    assert "Poll #1 is gesloten; je stem is niet meegeteld." in app.out.getvalue()
    rows = await app.rows(poll_votes)
    assert [(r.position) for r in rows] == [1]
    assert len(await app.rows(poll_ballots)) == 1


async def test_overdue_poll_refuses_votes_even_before_the_close_job_runs(app: App) -> None:
    poll = await app.polls.create(request(duration=timedelta(minutes=5)))
    app.plein.clock.set(app.now() + timedelta(minutes=6))
    outcome = await app.polls.vote(poll, "console:bob", 1)
    assert outcome.status is VoteStatus.CLOSED
    assert await app.rows(poll_votes) == []


async def test_anonymous_poll_stores_no_member_ids_and_forgets_its_key_at_close(
    app: App,
) -> None:
    poll = await app.polls.create(request(anonymous=True))
    for name, pos in (("bob", 1), ("carla", 2), ("bob", 3)):
        app.plein.clock.set(app.now() + timedelta(minutes=7))
        await app.pick(name, f"poll:{poll.id}:{pos}")
    # Vote times would let anyone match votes to 'member X voted at T'; only the poll's own
    # creation time is stored.
    assert {r.cast_at for r in await app.rows(poll_votes)} == {poll.created_at}
    ballots = await app.rows(poll_ballots)
    assert len(ballots) == 2
    assert all(b.member_id is None for b in ballots)
    assert all("bob" not in b.voter_key and "carla" not in b.voter_key for b in ballots)
    assert await app.polls.store.named_votes(poll.id) == []
    export = await app.plein.kit.personal_data.providers()["polls"].export_member("console:bob")
    assert export["votes"] == []
    await app.polls.close(poll.id, app.now())
    [row] = await app.rows(polls)
    assert row.salt is None
    tally = await app.polls.store.tally(poll.id)
    assert tally.voters == 2 and tally.counts == {2: 1, 3: 1}


async def test_personal_data_export_and_erase_named_votes(app: App) -> None:
    poll = await app.polls.create(request(max_choices=2))
    await app.pick("bob", f"poll:{poll.id}:1")
    await app.pick("bob", f"poll:{poll.id}:4")
    provider = app.plein.kit.personal_data.providers()["polls"]
    data = await provider.export_member("console:bob")
    assert [v["choice"] for v in data["votes"]] == ["Ma", "Do"]
    creator = await provider.export_member("console:anna")
    assert creator["created"][0]["question"] == "Welke dag?"
    await provider.erase_member("console:bob")
    assert (await provider.export_member("console:bob"))["votes"] == []
    assert await app.polls.store.named_votes(poll.id) == []
    tally = await app.polls.store.tally(poll.id)
    assert tally.voters == 1 and tally.counts == {1: 1, 4: 1}


async def test_calendar_publisher_posts_poll_and_stelling(app: App) -> None:
    ref = await app.polls.publish_poll(
        channel="doe-mee", question="Waarheen op excursie?", options=["Heide", "Duinen"]
    )
    assert ref is not None
    closes = app.now() + timedelta(days=3)
    sref = await app.polls.publish_stelling(
        channel="doe-mee", statement="Minder maaien is beter.", closes_at=closes
    )
    stelling = await app.polls.store.get(2)
    assert stelling is not None and stelling.kind is PollKind.STELLING
    assert stelling.message_ref == sref and stelling.closes_at == closes
    assert stelling.anonymous  # stellingen default to anonymous
    assert await app.polls.publish_poll(channel="x", question="Eén optie?", options=["Ja"]) is None


async def test_thread_replies_count_only_for_open_stellingen(app: App) -> None:
    stelling = await app.polls.create(request(options=(), kind=PollKind.STELLING))
    ref = stelling.message_ref
    bob = Actor("console:bob", "bob")
    for thread in (ref, ref, "999"):
        await app.plein.dispatch(
            MessagePosted(
                author=bob, channel="algemeen", message_ref="x", length=5, thread_of=thread
            )
        )
    assert (await app.polls.store.get(stelling.id)).reply_count == 2  # type: ignore[union-attr]
    await app.polls.close(stelling.id, app.now())
    await app.plein.dispatch(
        MessagePosted(author=bob, channel="algemeen", message_ref="y", length=5, thread_of=ref)
    )
    assert (await app.polls.store.get(stelling.id)).reply_count == 2  # type: ignore[union-attr]
