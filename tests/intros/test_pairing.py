"""The pairing rules as a pure function: properties over any sequence of rounds, and examples."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.features.intros.pairing import (
    Candidate,
    interest_tokens,
    keywords,
    make_round,
    pair_key,
)

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
EVERY = timedelta(days=14)


def _perfect(members: list[str], ok: Callable[[str, str], bool]) -> bool:
    if not members:
        return True
    first, rest = members[0], members[1:]
    return any(ok(first, other) and _perfect([m for m in rest if m != other], ok) for other in rest)


def possible(members: Sequence[str], ok: Callable[[str, str], bool]) -> bool:
    """Brute force: can everyone be grouped in pairs plus (for an odd number) one trio?"""
    people = sorted(members)
    if len(people) < 2:
        return False
    if len(people) % 2 == 0:
        return _perfect(people, ok)
    return any(
        ok(a, b)
        and ok(a, c)
        and ok(b, c)
        and _perfect([m for m in people if m not in (a, b, c)], ok)
        for a, b, c in combinations(people, 3)
    )


rounds_strategy = st.lists(
    st.sets(st.integers(min_value=0, max_value=8), min_size=0, max_size=9),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(
    rounds=rounds_strategy,
    window=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_no_repeat_within_the_window_and_everyone_grouped_when_possible(
    rounds: list[set[int]], window: int, seed: int
) -> None:
    repeat_after = EVERY * window
    last_met: dict[tuple[str, str], datetime] = {}
    for number, present in enumerate(rounds):
        now = START + EVERY * number
        people = [f"m{i}" for i in sorted(present)]
        result = make_round(
            [Candidate(p, {}) for p in people],
            last_met,
            now=now,
            repeat_after=repeat_after,
            seed=seed + number,
        )

        def ok(a: str, b: str, now: datetime = now) -> bool:
            met = last_met.get(pair_key(a, b))
            return met is None or now - met >= repeat_after

        placed = [m for g in result.groups for m in g.members]
        assert sorted(placed + list(result.unpaired)) == people  # nobody twice, nobody lost
        for group in result.groups:
            assert len(group.members) in (2, 3)
            for a, b in combinations(group.members, 2):
                assert ok(a, b), f"{a} and {b} met within the window"
        assert sum(len(g.members) == 3 for g in result.groups) <= 1
        if possible(people, ok):
            assert not result.unpaired, f"round {number}: {result.unpaired} left out"
        for group in result.groups:
            for a, b in combinations(group.members, 2):
                last_met[pair_key(a, b)] = now


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), size=st.integers(min_value=2, max_value=12))
def test_deterministic_for_a_seed(seed: int, size: int) -> None:
    people = [Candidate(f"m{i}", {f"q=x{i % 3}": f"x{i % 3}"}, rung=i % 4) for i in range(size)]
    first = make_round(people, {}, now=START, repeat_after=EVERY, seed=seed)
    again = make_round(list(reversed(people)), {}, now=START, repeat_after=EVERY, seed=seed)
    assert first == again


def test_the_trio_rotates_so_nobody_is_a_third_much_more_often() -> None:
    people = [f"m{i}" for i in range(9)]
    trios: Counter[str] = Counter()
    last_met: dict[tuple[str, str], datetime] = {}
    for number in range(18):
        now = START + EVERY * number
        result = make_round(
            [Candidate(p, {}, trios=trios[p]) for p in people],
            last_met,
            now=now,
            repeat_after=EVERY * 3,
            seed=number,
        )
        assert not result.unpaired
        [trio] = [g for g in result.groups if len(g.members) == 3]
        assert trio.third in trio.members
        trios[trio.third] += 1
        for group in result.groups:
            for a, b in combinations(group.members, 2):
                last_met[pair_key(a, b)] = now
    assert max(trios.values()) - min(trios[p] for p in people) <= 1


def test_shared_interests_and_mixing_decide_between_otherwise_equal_pairs() -> None:
    birds = {"interests~vogels": "vogels"}
    people = [
        Candidate("anna", birds, rung=3),
        Candidate("bram", {"interests~fietsen": "fietsen"}, rung=0, newcomer=True),
        Candidate("carla", birds, rung=0, newcomer=True),
        Candidate("daan", {"interests~fietsen": "fietsen"}, rung=2),
    ]
    for seed in range(20):
        result = make_round(people, {}, now=START, repeat_after=EVERY, seed=seed)
        groups = {g.members: g.shared for g in result.groups}
        assert groups == {("anna", "carla"): ("vogels",), ("bram", "daan"): ("fietsen",)}


def test_keywords_are_lowercase_words_without_little_words() -> None:
    assert keywords("Vogels, wandelen en de Fotografie!") == {"vogels", "wandelen", "fotografie"}
    tokens = interest_tokens(
        {"interests": "Vogels en fietsen", "city": "Utrecht", "secret": "vogels"},
        choice_ids=["city"],
        match_ids=["interests"],
    )
    assert tokens == {
        "city=utrecht": "Utrecht",
        "interests~fietsen": "fietsen",
        "interests~vogels": "vogels",
    }


def test_a_large_community_is_paired_on_the_sparse_graph_without_repeats() -> None:
    people = [
        Candidate(f"m{i:03d}", {f"q=x{i % 5}": f"x{i % 5}"}, rung=i % 4, newcomer=i % 7 == 0)
        for i in range(101)
    ]
    last_met: dict[tuple[str, str], datetime] = {}
    for number in range(2):
        now = START + EVERY * number
        result = make_round(people, last_met, now=now, repeat_after=EVERY * 10, seed=number)
        assert not result.unpaired
        assert sorted(len(g.members) for g in result.groups).count(3) == 1
        for group in result.groups:
            for a, b in combinations(group.members, 2):
                assert pair_key(a, b) not in last_met
        for group in result.groups:
            for a, b in combinations(group.members, 2):
                last_met[pair_key(a, b)] = now
