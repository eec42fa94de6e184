"""How long a round of introductions takes to pair N members, against a random pairing.

The baseline is what Donut does: shuffle and pair neighbours (no history, no interests). Plein's
pairing is a maximum-weight matching over the allowed pairs (exact up to FULL_GRAPH_MAX members,
a sparse graph of NEIGHBOURS pairs per member above), run after `rounds` earlier rounds so the
never-met and repeat rules have history to work on. Prints the median of `--runs` runs.

    python -m bench.intros_pairing --sizes 51 201 401 --runs 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import combinations

from bot.features.intros.pairing import Candidate, make_round, pair_key

NOW = datetime(2026, 1, 5, 10, tzinfo=UTC)
EVERY = timedelta(weeks=2)


def community(size: int) -> list[Candidate]:
    rng = random.Random(size)
    return [
        Candidate(
            f"m{i}",
            {f"interest={rng.randrange(6)}": "x", f"hobby~{rng.randrange(20)}": "y"},
            rung=rng.randrange(5),
            newcomer=rng.random() < 0.15,
        )
        for i in range(size)
    ]


def history(people: list[Candidate], rounds: int) -> dict[tuple[str, str], datetime]:
    met: dict[tuple[str, str], datetime] = {}
    for number in range(rounds):
        at = NOW - EVERY * (rounds - number)
        made = make_round(people, met, now=at, repeat_after=timedelta(days=182), seed=number)
        for group in made.groups:
            for a, b in combinations(group.members, 2):
                met[pair_key(a, b)] = at
    return met


def random_pairs(people: list[Candidate]) -> list[tuple[str, ...]]:
    ids = [p.id for p in people]
    random.Random(1).shuffle(ids)
    return [tuple(ids[i : i + 2]) for i in range(0, len(ids) - 1, 2)]


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[51, 201, 401])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="earlier rounds as history")
    args = parser.parse_args()
    print("members  random pairing s  plein pairing s  ratio  unpaired")
    for size in args.sizes:
        people = community(size)
        met = history(people, args.rounds)
        base = median_seconds(lambda people=people: random_pairs(people), args.runs)
        made = make_round(people, met, now=NOW, repeat_after=timedelta(days=182), seed=99)
        ours = median_seconds(
            lambda people=people, met=met: make_round(
                people, met, now=NOW, repeat_after=timedelta(days=182), seed=99
            ),
            args.runs,
        )
        print(
            f"{size:7d}  {base:16.5f}  {ours:15.2f}  {ours / max(base, 1e-9):5.0f}x"
            f"  {len(made.unpaired):8d}"
        )


if __name__ == "__main__":
    main()
