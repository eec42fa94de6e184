"""The fair selection rule for the weekly spotlight (documented in the README).

1. Eligible: present, human, not a manager (unless configured), has accepted the groundrules
   (when [onboarding] requires acceptance), not spotlighted in the last
   `cooldown_weeks` weeks, and allowed by the mode (opt-out: not opted out; opt-in: opted in).
2. Peer nominations come first: among eligible nominated members, the one with the most open
   nominations (ties: the earliest nomination) is picked; activity is not required.
3. Otherwise, among eligible members who contributed in the lookback window, a weighted draw
   favouring the less visible contributors:
       weight = (1 + bonuses) x (1 - 0.5 x visibility percentile)
   bonuses: +2 replied to others, +1.5 answered a calendar prompt, +1 hosted or attended,
   +1 received kudos, +1.5 helped newcomers (replies or reactions to members in their first
   [health] newcomer_days), +2 a newcomer (joined within `newcomer_window`) who found their way.
   Visibility = top-level messages + reactions received; the most visible eligible member
   weighs half as much as the quietest one with the same bonuses.
4. The draw is seeded from the community and the week, so a week's pick is reproducible.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.features.report.facts import OWN_KINDS
from bot.features.spotlight.ports import Nomination

NEWCOMERS_HELPED = "newcomers_helped"
"""Not a contribution kind: the health figures' count of newcomers a member helped."""

BONUSES: tuple[tuple[tuple[str, ...], float], ...] = (
    (("reply",), 2.0),
    (("prompt_answer",), 1.5),
    (("hosted", "attended"), 1.0),
    (("kudos_received",), 1.0),
    ((NEWCOMERS_HELPED,), 1.5),
)
NEWCOMER_BONUS = 2.0
VISIBILITY_KINDS = ("message", "reaction_received")
WEIGHED_KINDS = tuple(
    sorted(
        {k for kinds, _ in BONUSES for k in kinds if k != NEWCOMERS_HELPED} | set(VISIBILITY_KINDS)
    )
)
"""The contribution kinds a candidate's weight reads (with OWN_KINDS for being active)."""


@dataclass(frozen=True)
class Candidate:
    member_id: str
    joined_at: datetime
    kinds: Mapping[str, int]
    accepted_rules: bool = True

    @property
    def active(self) -> bool:
        return any(self.kinds.get(kind, 0) > 0 for kind in OWN_KINDS)

    @property
    def visibility(self) -> int:
        return sum(self.kinds.get(kind, 0) for kind in VISIBILITY_KINDS)


@dataclass(frozen=True)
class Rules:
    cooldown_weeks: int
    mode: str
    newcomer_window: timedelta
    require_rules: bool = False


@dataclass(frozen=True)
class Pick:
    member_id: str
    nominations: tuple[Nomination, ...] = ()
    weight: float = 0.0


def allowed(
    member_id: str,
    week: date,
    rules: Rules,
    last_spotlight: Mapping[str, date],
    prefs: Mapping[str, str],
) -> bool:
    """Mode and cooldown; the rule every pick (nominated or drawn) must pass."""
    choice = prefs.get(member_id)
    if rules.mode == "opt-in" and choice != "in":
        return False
    if rules.mode != "opt-in" and choice == "out":
        return False
    last = last_spotlight.get(member_id)
    return last is None or (week - last).days >= rules.cooldown_weeks * 7


def weight(candidate: Candidate, now: datetime, rules: Rules, percentile: float) -> float:
    bonus = sum(
        value for kinds, value in BONUSES if any(candidate.kinds.get(k, 0) > 0 for k in kinds)
    )
    if now - candidate.joined_at <= rules.newcomer_window:
        bonus += NEWCOMER_BONUS
    return (1.0 + bonus) * (1.0 - 0.5 * percentile)


def weights(candidates: Sequence[Candidate], now: datetime, rules: Rules) -> dict[str, float]:
    """Weights of active candidates; percentile by visibility (ties share the lower rank)."""
    ordered = sorted(c.visibility for c in candidates)
    top = max(len(ordered) - 1, 1)
    out = {}
    for c in candidates:
        rank = bisect_left(ordered, c.visibility)
        out[c.member_id] = weight(c, now, rules, rank / top)
    return out


def seeded(seed: str, week: date) -> random.Random:
    digest = hashlib.sha256(f"{seed}|{week.isoformat()}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def choose(
    candidates: Sequence[Candidate],
    *,
    week: date,
    now: datetime,
    rules: Rules,
    last_spotlight: Mapping[str, date],
    prefs: Mapping[str, str],
    nominations: Sequence[Nomination] = (),
    exclude: frozenset[str] = frozenset(),
    seed: str = "",
) -> Pick | None:
    present = {
        c.member_id: c
        for c in candidates
        if c.member_id not in exclude and (c.accepted_rules or not rules.require_rules)
    }
    eligible = {
        member_id: c
        for member_id, c in present.items()
        if allowed(member_id, week, rules, last_spotlight, prefs)
    }
    nominated: dict[str, list[Nomination]] = {}
    for nomination in nominations:
        if nomination.member_id in eligible:
            nominated.setdefault(nomination.member_id, []).append(nomination)
    if nominated:
        member_id = min(nominated, key=lambda m: (-len(nominated[m]), nominated[m][0].at, m))
        return Pick(member_id, tuple(nominated[member_id]))
    active = sorted((c for c in eligible.values() if c.active), key=lambda c: c.member_id)
    if not active:
        return None
    by_member = weights(active, now, rules)
    rng = seeded(seed, week)
    total = sum(by_member.values())
    point = rng.random() * total
    running = 0.0
    for c in active:
        running += by_member[c.member_id]
        if point < running:
            return Pick(c.member_id, weight=by_member[c.member_id])
    return Pick(active[-1].member_id, weight=by_member[active[-1].member_id])
