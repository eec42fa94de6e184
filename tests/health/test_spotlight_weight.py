"""Helping newcomers raises a member's spotlight weight (the health figures feed the draw)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.features.spotlight.selection import NEWCOMERS_HELPED, Candidate, Rules, weight

NOW = datetime(2026, 4, 6, 9, tzinfo=UTC)
RULES = Rules(cooldown_weeks=8, mode="opt-out", newcomer_window=timedelta(days=30))


def test_a_member_who_helps_newcomers_weighs_more() -> None:
    long_ago = NOW - timedelta(days=400)
    quiet = Candidate("console:a", long_ago, {"reaction_given": 3})
    helper = Candidate("console:b", long_ago, {"reaction_given": 3, NEWCOMERS_HELPED: 2})
    assert weight(helper, NOW, RULES, 0.0) == weight(quiet, NOW, RULES, 0.0) + 1.5
