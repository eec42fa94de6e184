"""Pure ladder arithmetic: which rung a member's window stats reach, and what the next one needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.config.recognition import Rung
from bot.features.recognition.ports import KindStats


def window_points(stats: Mapping[str, KindStats]) -> int:
    return sum(s.points for s in stats.values())


def kind_count(stats: Mapping[str, KindStats], kinds: Sequence[str]) -> int:
    return sum(stats[k].count for k in kinds if k in stats)


def meets(rung: Rung, stats: Mapping[str, KindStats]) -> bool:
    if window_points(stats) < rung.points:
        return False
    if rung.requires_count:
        return kind_count(stats, [k.value for k in rung.requires_any]) >= rung.requires_count
    return True


def level_for(levels: Sequence[Rung], stats: Mapping[str, KindStats]) -> int:
    """The highest rung index such that it and every rung below it are met (0 = first rung)."""
    level = 0
    for index in range(1, len(levels)):
        if not meets(levels[index], stats):
            break
        level = index
    return level


@dataclass(frozen=True)
class NextStep:
    rung: Rung
    points_missing: int
    count_missing: int


def next_step(
    levels: Sequence[Rung], stats: Mapping[str, KindStats], level: int
) -> NextStep | None:
    if level + 1 >= len(levels):
        return None
    rung = levels[level + 1]
    points_missing = max(0, rung.points - window_points(stats))
    count_missing = 0
    if rung.requires_count:
        have = kind_count(stats, [k.value for k in rung.requires_any])
        count_missing = max(0, rung.requires_count - have)
    return NextStep(rung, points_missing, count_missing)
