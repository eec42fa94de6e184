"""The vote state machine on the real polls service and a real SQLite file.

Any interleaving of picks by many members - single and multiple choice, named and anonymous,
changes of mind, unknown options, picks racing the close, time running out - leaves one ballot per
member who ever had a pick recorded, that ballot holding exactly what the member was last told,
and a tally equal to the ballots.

Each example runs a fresh app (about 40 ms): a sync test calling `asyncio.run`, which keeps
hypothesis and pytest-asyncio's auto mode out of each other's way.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.clock import ManualClock
from bot.features.polls import PollsService
from bot.features.polls.ports import Poll, VoteOutcome, VoteStatus
from bot.features.polls.service import PollRequest
from storage.db import Database
from storage.polls import poll_ballots, poll_votes
from tests.polls.conftest import QUIET
from tests.support import ConsoleRun

MEMBERS = [f"console:m{i}" for i in range(8)]


@dataclass(frozen=True)
class Picks:
    """Distinct members tapping at the same moment (run concurrently)."""

    taps: tuple[tuple[str, int], ...]
    with_close: bool = False
    """The poll is closed concurrently with these taps."""


@dataclass(frozen=True)
class Close:
    pass


@dataclass(frozen=True)
class TimeRunsOut:
    pass


Step = Picks | Close | TimeRunsOut


@dataclass(frozen=True)
class Scenario:
    options: int
    max_choices: int
    anonymous: bool
    steps: tuple[Step, ...]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    options = draw(st.integers(2, 5))
    max_choices = draw(st.sampled_from([1, 2, options]))
    # Few members make long histories per member (changes of mind, the choice limit); many make
    # crowded concurrent steps.
    members = st.sampled_from(MEMBERS[: draw(st.sampled_from([1, 2, 3, len(MEMBERS)]))])
    position = st.integers(1, options + 1)  # options + 1 is not an option of the poll
    taps = st.lists(st.tuples(members, position), min_size=1, max_size=6, unique_by=lambda t: t[0])
    racing_close = st.sampled_from([False, False, False, True])
    picks = st.builds(Picks, taps.map(tuple), racing_close)
    steps: list[Step] = draw(st.lists(picks, max_size=20))
    ending = draw(st.sampled_from([None, Close(), TimeRunsOut()]))
    if ending is not None:  # the poll ends somewhere; later taps must all be refused
        steps.insert(draw(st.integers(0, len(steps))), ending)
    return Scenario(options, max_choices, draw(st.booleans()), tuple(steps))


@dataclass
class Model:
    """What each member was told their ballot holds; who has a ballot at all."""

    max_choices: int
    options: int
    picks: dict[str, set[int]] = field(default_factory=dict)
    closed: bool = False

    def expected(self, member: str, position: int) -> VoteStatus:
        if self.closed:
            return VoteStatus.CLOSED
        if not 1 <= position <= self.options:
            return VoteStatus.UNKNOWN_OPTION
        current = self.picks.get(member, set())
        if self.max_choices > 1 and position not in current and len(current) >= self.max_choices:
            return VoteStatus.TOO_MANY
        return VoteStatus.RECORDED

    def apply(self, member: str, position: int) -> set[int]:
        current = self.picks.setdefault(member, set())
        if self.max_choices == 1:
            current.clear()
            current.add(position)
        else:
            current ^= {position}
        return current


async def play(scenario: Scenario, storage_url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run = ConsoleRun(db_path=Path(tmp) / "plein.db", env=dict(QUIET), storage_url=storage_url)
        plein, adapter, _ = await run.start()
        adapter.host = plein
        await plein.ready()
        try:
            assert isinstance(plein.clock, ManualClock)
            await check(plein.db, plein.features["polls"], plein.clock, scenario)
        finally:
            await plein.close()


async def check(
    db: Database, service: PollsService, clock: ManualClock, scenario: Scenario
) -> None:
    poll = await service.create(
        PollRequest(
            question="Welke dag?",
            options=tuple(f"Optie {i}" for i in range(1, scenario.options + 1)),
            channel="algemeen",
            creator_id="console:anna",
            max_choices=scenario.max_choices,
            anonymous=scenario.anonymous,
            duration=timedelta(days=2),
        )
    )
    model = Model(scenario.max_choices, scenario.options)
    first_votes: list[str] = []

    async def tap(member: str, position: int) -> VoteOutcome:
        current = await service.store.get(poll.id)  # as on_choice does, per tap
        assert current is not None
        return await service.vote(current, member, position)

    for step in scenario.steps:
        if isinstance(step, Close):
            await service.close(poll.id, clock.now())
            model.closed = True
        elif isinstance(step, TimeRunsOut):
            clock.set(poll.closes_at)
            model.closed = True
        else:
            expected = [model.expected(m, p) for m, p in step.taps]
            taps = asyncio.gather(*(tap(m, p) for m, p in step.taps))
            if step.with_close:
                outcomes, _ = await asyncio.gather(taps, service.close(poll.id, clock.now()))
            else:
                outcomes = await taps
            for (member, position), want, got in zip(step.taps, expected, outcomes, strict=True):
                if step.with_close and got.status is VoteStatus.CLOSED:
                    continue  # the close won the race for this tap
                assert got.status is want, (member, position, want, got)
                if got.status is VoteStatus.RECORDED:
                    if got.first_vote:
                        first_votes.append(member)
                    assert set(got.choices) == model.apply(member, position)
            if step.with_close:
                model.closed = True

    # Every member who ever had a pick recorded heard "first vote" exactly once.
    assert sorted(first_votes) == sorted(model.picks)
    await check_store(db, service, poll, model)


async def check_store(db: Database, service: PollsService, poll: Poll, model: Model) -> None:
    async with db.connect() as conn:
        ballots = (
            await conn.execute(select(poll_ballots).where(poll_ballots.c.poll_id == poll.id))
        ).all()
        votes = (
            await conn.execute(select(poll_votes).where(poll_votes.c.poll_id == poll.id))
        ).all()
    # One ballot per member who ever had a pick recorded (named: by id; anonymous: no id at all).
    assert len(ballots) == len(model.picks)
    assert len({b.voter_key for b in ballots}) == len(ballots)
    by_ballot: dict[int, set[int]] = {b.id: set() for b in ballots}
    for vote in votes:
        by_ballot[vote.ballot_id].add(vote.position)
    assert sum(len(p) for p in by_ballot.values()) == len(votes)  # no position twice
    if poll.anonymous:
        assert all(b.member_id is None for b in ballots)
        held = sorted(sorted(p) for p in by_ballot.values())
        assert held == sorted(sorted(p) for p in model.picks.values())
    else:
        assert {b.member_id: by_ballot[b.id] for b in ballots} == model.picks
    for positions in by_ballot.values():
        assert len(positions) <= poll.max_choices
    # The tally is the ballots, counted.
    tally = await service.store.tally(poll.id)
    assert tally.counts == dict(Counter(p for picks in model.picks.values() for p in picks))
    assert tally.voters == sum(1 for picks in model.picks.values() if picks)


# One database for all examples, on purpose: each example makes its own poll and checks only
# that poll's rows (so the fixture's database outliving an example is harmless).
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=scenarios())
def test_any_interleaving_of_picks_gives_one_ballot_per_member_and_a_matching_tally(
    storage_url: str, scenario: Scenario
) -> None:
    asyncio.run(play(scenario, storage_url))
