"""Who meets whom this round: a pure function of the candidates, who met before, and a seed.

The opted-in, active members are the nodes of a graph; an edge joins two members who may meet
(they did not meet within `repeat_after`). A maximum-weight matching of maximum cardinality
(networkx, Edmonds' blossom algorithm) pairs as many members as the rules allow and, among those
pairings, prefers the pairs that share the most welcome answers, never met, and mix a newcomer
with an established member (best: two rungs or more apart). The seed adds a small jitter so equal
pairs are not always broken the same way, and shuffles who is looked at first.

An odd number forms one trio. Who becomes its third member rotates: the member who was in the
fewest trios so far goes first (fairness), as long as the others can still all be paired.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # networkx takes longer to import than the rest of start-up: loaded per round
    import networkx as nx

BASE = 1_000
SHARED = 120
"""Per shared answer or keyword (at most MAX_SHARED count)."""
MAX_SHARED = 3
NEVER_MET = 200
MIX = 150
"""A newcomer with an established member two rungs higher (or more)."""
NEAR_MIX = 60
"""A newcomer with an established member one rung higher."""
JITTER = 50
FULL_GRAPH_MAX = 64
"""Up to this many members the matching sees every allowed pair (exact). Above it, each member
keeps only their NEIGHBOURS best-scoring allowed pairs: Edmonds' algorithm is cubic, and a
random graph that dense has a perfect matching all the same (bench/intros_pairing.py)."""
NEIGHBOURS = 12
MAX_TRIO_TRIES = 100
"""Bound on matchings tried to place a trio when the easy way fails (small, dense communities
never get near it)."""


@dataclass(frozen=True)
class Candidate:
    id: str
    interests: Mapping[str, str]
    """Comparable token -> what to show ("interests=birds" -> "birds"); see `interest_tokens`."""
    rung: int = 0
    newcomer: bool = False
    trios: int = 0
    """How often this member was the third of a trio before."""


@dataclass(frozen=True)
class Group:
    members: tuple[str, ...]
    shared: tuple[str, ...]
    """What every member of the group has in common, as shown to them (may be empty)."""
    third: str | None = None
    """In a trio: the member who joined the pair (counted for the trio rotation)."""


@dataclass(frozen=True)
class Round:
    groups: tuple[Group, ...]
    unpaired: tuple[str, ...]
    """Members the rules left without a partner this round (everyone they could meet, they met)."""


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def make_round(
    candidates: Sequence[Candidate],
    last_met: Mapping[tuple[str, str], datetime],
    *,
    now: datetime,
    repeat_after: timedelta,
    seed: int,
) -> Round:
    rng = random.Random(seed)
    people = {c.id: c for c in candidates}
    order = sorted(people)
    rng.shuffle(order)

    def allowed(a: str, b: str) -> bool:
        met = last_met.get(pair_key(a, b))
        return met is None or now - met >= repeat_after

    weights: dict[tuple[str, str], int] = {}
    for a, b in combinations(order, 2):
        if allowed(a, b):
            weights[pair_key(a, b)] = _weight(people[a], people[b], last_met) + rng.randrange(
                JITTER
            )

    if len(order) % 2 == 0:
        pairs = _matching(order, weights)
        return _finish(people, pairs, [], order)
    # Odd: the third of the trio is whoever was a third least often, who can still be placed.
    thirds = sorted(order, key=lambda m: (people[m].trios, order.index(m)))
    tries = 0
    for third in thirds:
        rest = [m for m in order if m != third]
        pairs = _matching(rest, weights)
        tries += 1
        if len(pairs) * 2 == len(rest):
            host = _best_pair_for(third, pairs, weights)
            if host is not None:
                return _finish(people, pairs, [(host, third)], order)
        if tries >= MAX_TRIO_TRIES:
            break
    placed = _trio_by_search(order, thirds, weights, MAX_TRIO_TRIES - tries)
    if placed is not None:
        pairs, trio = placed
        return _finish(people, pairs, [trio], order)
    pairs = _matching(order, weights)
    left = [m for m in order if not any(m in p for p in pairs)]
    trios: list[tuple[tuple[str, str], str]] = []
    if left:
        host = _best_pair_for(left[0], pairs, weights)
        if host is not None:
            trios.append((host, left[0]))
    return _finish(people, pairs, trios, order)


def _weight(a: Candidate, b: Candidate, last_met: Mapping[tuple[str, str], datetime]) -> int:
    shared = len(a.interests.keys() & b.interests.keys())
    weight = BASE + SHARED * min(shared, MAX_SHARED)
    if pair_key(a.id, b.id) not in last_met:
        weight += NEVER_MET
    if a.newcomer != b.newcomer:
        gap = abs(a.rung - b.rung)
        weight += MIX if gap >= 2 else NEAR_MIX if gap == 1 else 0
    return weight


def _matching(
    members: Sequence[str], weights: Mapping[tuple[str, str], int]
) -> list[tuple[str, str]]:
    import networkx as nx

    inside = set(members)
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(members)
    edges = {k: w for k, w in weights.items() if k[0] in inside and k[1] in inside}
    if len(members) > FULL_GRAPH_MAX:
        edges = _sparse(edges)
    for (a, b), w in edges.items():
        graph.add_edge(a, b, weight=w)
    matched = nx.max_weight_matching(graph, maxcardinality=True)
    pairs = sorted(pair_key(a, b) for a, b in matched)
    if len(members) > FULL_GRAPH_MAX and len(pairs) * 2 < len(members) - 1:
        return _matching_full(members, weights)  # the sparse graph was too thin: be exact
    return pairs


def _matching_full(
    members: Sequence[str], weights: Mapping[tuple[str, str], int]
) -> list[tuple[str, str]]:
    import networkx as nx

    inside = set(members)
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(members)
    for (a, b), w in weights.items():
        if a in inside and b in inside:
            graph.add_edge(a, b, weight=w)
    return sorted(pair_key(a, b) for a, b in nx.max_weight_matching(graph, maxcardinality=True))


def _sparse(edges: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Each member's NEIGHBOURS // 2 heaviest pairs and as many others drawn at random (fixed
    seed): the heaviest alone cluster by interest, and odd clusters leave members unpaired."""
    by_member: dict[str, list[tuple[int, tuple[str, str]]]] = {}
    for key, w in edges.items():
        for member in key:
            by_member.setdefault(member, []).append((w, key))
    rng = random.Random(0)
    kept: dict[tuple[str, str], int] = {}
    best = NEIGHBOURS // 2
    for member in sorted(by_member):
        options = sorted(by_member[member], key=lambda item: (-item[0], item[1]))
        rest = options[best:]
        chosen = options[:best] + rng.sample(rest, min(len(rest), NEIGHBOURS - best))
        for w, key in chosen:
            kept[key] = w
    return kept


def _best_pair_for(
    third: str, pairs: Iterable[tuple[str, str]], weights: Mapping[tuple[str, str], int]
) -> tuple[str, str] | None:
    best: tuple[int, tuple[str, str]] | None = None
    for a, b in pairs:
        wa, wb = weights.get(pair_key(third, a)), weights.get(pair_key(third, b))
        if wa is None or wb is None:
            continue
        if best is None or wa + wb > best[0]:
            best = (wa + wb, (a, b))
    return best[1] if best else None


def _trio_by_search(
    order: Sequence[str],
    thirds: Sequence[str],
    weights: Mapping[tuple[str, str], int],
    budget: int,
) -> tuple[list[tuple[str, str]], tuple[tuple[str, str], str]] | None:
    """Every possible triangle, in fairness order, until the rest can all be paired."""
    for third in thirds:
        for a, b in combinations([m for m in order if m != third], 2):
            if budget <= 0:
                return None
            if not all(pair_key(*p) in weights for p in ((third, a), (third, b), (a, b))):
                continue
            rest = [m for m in order if m not in (third, a, b)]
            budget -= 1
            pairs = _matching(rest, weights)
            if len(pairs) * 2 == len(rest):
                return pairs, (pair_key(a, b), third)
    return None


def _finish(
    people: Mapping[str, Candidate],
    pairs: Sequence[tuple[str, str]],
    trios: Sequence[tuple[tuple[str, str], str]],
    order: Sequence[str],
) -> Round:
    by_host = {host: third for host, third in trios}
    groups = []
    for pair in sorted(pairs):
        members = (*pair, by_host[pair]) if pair in by_host else pair
        shared = _shared([people[m] for m in members])
        groups.append(Group(tuple(members), shared, by_host.get(pair)))
    placed = {m for g in groups for m in g.members}
    return Round(tuple(groups), tuple(sorted(m for m in order if m not in placed)))


def _shared(members: Sequence[Candidate]) -> tuple[str, ...]:
    common = set(members[0].interests)
    for member in members[1:]:
        common &= member.interests.keys()
    return tuple(sorted({members[0].interests[token] for token in common}))[:MAX_SHARED]


STOPWORDS = frozenset(
    [
        "and",
        "the",
        "for",
        "with",
        "van",
        "het",
        "een",
        "voor",
        "met",
        "maar",
        "ook",
        "niet",
        "wel",
        "that",
        "this",
        "are",
        "was",
        "wat",
        "die",
        "dat",
        "bij",
        "naar",
        "over",
        "heel",
        "veel",
        "graag",
    ]
)


def keywords(text: str) -> set[str]:
    """Lowercase words of three letters or more, without common little words."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in text).split()
    return {w for w in words if len(w) >= 3 and w not in STOPWORDS}


def interest_tokens(
    answers: Mapping[str, str | None], choice_ids: Iterable[str], match_ids: Iterable[str]
) -> dict[str, str]:
    """Choice answers match exactly; `match = true` text answers by their keywords."""
    tokens: dict[str, str] = {}
    for qid in choice_ids:
        value = answers.get(qid)
        if value:
            tokens[f"{qid}={value.strip().lower()}"] = value.strip()
    for qid in match_ids:
        value = answers.get(qid)
        for word in sorted(keywords(value or "")):
            tokens[f"{qid}~{word}"] = word
    return tokens
