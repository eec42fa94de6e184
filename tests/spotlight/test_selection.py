"""The fair selection rule: 52 simulated weeks in a community of 200 members."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from bot.features.spotlight.ports import Nomination
from bot.features.spotlight.selection import Candidate, Rules, choose

START = date(2026, 1, 5)
RULES = Rules(cooldown_weeks=12, mode="opt-out", newcomer_window=timedelta(days=60))
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)


def community() -> dict[str, list[Candidate]]:
    """200 members: loud posters, quiet helpers, occasional posters, and silent readers."""
    groups: dict[str, list[Candidate]] = {"loud": [], "helper": [], "occasional": [], "silent": []}
    for i in range(200):
        if i < 15:
            kind, kinds = "loud", {"message": 80 + i, "reaction_received": 40}
        elif i < 45:
            kind, kinds = "helper", {"reply": 2 + i % 3, "message": 1}
        elif i < 100:
            kind, kinds = "occasional", {"message": 1 + i % 4}
        else:
            kind, kinds = "silent", {}
        groups[kind].append(Candidate(f"m{i:03d}", LONG_AGO, kinds))
    return groups


def simulate(weeks: int = 52, **kwargs: object) -> list[str]:
    groups = community()
    candidates = [c for members in groups.values() for c in members]
    last: dict[str, date] = {}
    picks = []
    for n in range(weeks):
        week = START + timedelta(weeks=n)
        now = datetime(week.year, week.month, week.day, 9, tzinfo=UTC) + timedelta(days=4)
        pick = choose(
            candidates,
            week=week,
            now=now,
            rules=RULES,
            last_spotlight=last,
            prefs={},
            seed="t",
            **kwargs,
        )
        assert pick is not None
        last[pick.member_id] = week
        picks.append(pick.member_id)
    return picks


def test_nobody_repeats_within_the_cooldown() -> None:
    picks = simulate()
    for i, member in enumerate(picks):
        later = picks[i + 1 : i + RULES.cooldown_weeks]
        assert member not in later, f"{member} picked again within {RULES.cooldown_weeks} weeks"


def test_quiet_helpers_get_picked_and_loud_posters_do_not_dominate() -> None:
    groups = community()
    ids = {name: {c.member_id for c in members} for name, members in groups.items()}
    picks = simulate()
    per_group = Counter(next(g for g, members in ids.items() if m in members) for m in picks)
    assert per_group["silent"] == 0  # not active in the lookback window: never eligible
    # 30 helpers vs 15 loud posters and 55 occasional posters: helpers get the most spotlights,
    # more than their share of the eligible pool (30/100).
    assert per_group["helper"] > per_group["occasional"] > 0
    assert per_group["helper"] / len(picks) > 0.4
    assert per_group["loud"] / len(picks) < 15 / 100
    assert len(set(picks) & ids["helper"]) >= 20


def test_same_inputs_same_pick() -> None:
    assert simulate(weeks=10) == simulate(weeks=10)


def test_nominations_go_first_and_the_most_nominated_wins() -> None:
    groups = community()
    candidates = [c for members in groups.values() for c in members]
    at = datetime(2026, 1, 6, tzinfo=UTC)
    nominations = [
        Nomination(1, "m150", "m001", "always there", at),
        Nomination(2, "m160", "m002", "great walks", at),
        Nomination(3, "m160", "m003", "so kind", at + timedelta(hours=1)),
    ]
    pick = choose(
        candidates,
        week=START,
        now=at,
        rules=RULES,
        last_spotlight={},
        prefs={},
        nominations=nominations,
    )
    assert pick is not None and pick.member_id == "m160"  # a silent reader, nominated twice
    assert [n.reason for n in pick.nominations] == ["great walks", "so kind"]


def test_opt_out_and_opt_in_modes() -> None:
    helper = Candidate("h", LONG_AGO, {"reply": 3})
    other = Candidate("o", LONG_AGO, {"message": 1})
    now = datetime(2026, 1, 9, tzinfo=UTC)
    out = choose(
        [helper, other], week=START, now=now, rules=RULES, last_spotlight={}, prefs={"h": "out"}
    )
    assert out is not None and out.member_id == "o"
    opt_in = Rules(12, "opt-in", timedelta(days=60))
    assert (
        choose([helper, other], week=START, now=now, rules=opt_in, last_spotlight={}, prefs={})
        is None
    )
    chosen = choose(
        [helper, other], week=START, now=now, rules=opt_in, last_spotlight={}, prefs={"o": "in"}
    )
    assert chosen is not None and chosen.member_id == "o"
    nominated_out = Nomination(1, "h", "o", "helps", now)
    pick = choose(
        [helper, other],
        week=START,
        now=now,
        rules=RULES,
        last_spotlight={},
        prefs={"h": "out"},
        nominations=[nominated_out],
    )
    assert pick is not None and pick.member_id == "o"  # a nomination never overrides opt-out
