"""The report's figures on a known dataset, seeded straight into the other features' tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.features.report.export import to_csv
from bot.features.report.figures import ambassador_candidates, compute, weekly_series
from storage.db import Database
from storage.report import SqlCommunityFacts
from tests.report.seed import seed

UNTIL = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
SINCE = UNTIL - timedelta(days=7)
OLD = datetime(2025, 6, 1, tzinfo=UTC)


def member(i: int, joined: datetime = OLD, left: datetime | None = None) -> dict:
    return {
        "id": f"console:m{i}",
        "name": f"m{i}",
        "is_bot": False,
        "first_joined_at": joined,
        "joined_at": joined,
        "left_at": left,
        "join_count": 1,
    }


def contribution(i: int, kind: str, at: datetime) -> dict:
    return {"member_id": f"console:m{i}", "kind": kind, "at": at, "day": at.date(), "length": 20}


@pytest.fixture
async def facts(tmp_path: Path) -> SqlCommunityFacts:
    db = Database.from_url(f"sqlite:///{tmp_path / 'r.db'}")
    await db.migrate()
    mid = SINCE + timedelta(days=3)
    # 20 members: m0..m17 long-standing, m18 and m19 joined this week; m20 left last month.
    members = [member(i) for i in range(18)]
    members += [member(18, SINCE + timedelta(days=1)), member(19, SINCE + timedelta(days=2))]
    members += [member(20, OLD, left=SINCE - timedelta(days=20))]
    members.append({**member(21), "is_bot": True})
    await seed(db, "members", members)
    rows = [
        # creators: m0 (posts), m1 (hosted)
        contribution(0, "message", mid),
        contribution(0, "message", mid),
        contribution(1, "hosted", mid),
        # reactors: m2, m3 (replies), m4 (vote), m18 (newcomer, reply on day 2)
        contribution(2, "reply", mid),
        contribution(2, "reply", mid),
        contribution(3, "reply", mid),
        contribution(4, "vote", mid),
        contribution(18, "reply", SINCE + timedelta(days=2)),
        # passive: m5 only received a reaction (not active)
        contribution(5, "reaction_received", mid),
        # m20 left: not counted; and last week's activity belongs to the previous period
        contribution(20, "message", mid),
        contribution(6, "message", SINCE - timedelta(days=2)),
        contribution(7, "reply", SINCE - timedelta(days=2)),
        contribution(8, "reply", SINCE - timedelta(days=2)),
    ]
    await seed(db, "contributions", rows)
    await seed(
        db,
        "kudos",
        [
            {"giver_id": "console:m0", "receiver_id": "console:m2", "reason": "top", "at": mid},
            {"giver_id": "console:m3", "receiver_id": "console:m2", "reason": "dank", "at": mid},
            {"giver_id": "console:m3", "receiver_id": "console:m1", "reason": "old", "at": OLD},
        ],
    )
    await seed(
        db,
        "onboarding_state",
        [
            {
                "member_id": "console:m18",
                "welcomed_at": SINCE,
                "rules_accepted_at": mid,
                "questions_done_at": mid,
            },
            {"member_id": "console:m19", "welcomed_at": SINCE, "rules_accepted_at": mid},
        ],
    )
    await seed(
        db,
        "member_levels",
        [
            {"member_id": "console:m0", "level": 2, "announced": 2, "changed_at": mid},
            {"member_id": "console:m1", "level": 1, "announced": 1, "changed_at": OLD},
        ],
    )
    yield SqlCommunityFacts(db)
    await db.close()


async def test_weekly_figures_on_a_known_dataset(facts: SqlCommunityFacts) -> None:
    f = await compute(facts, SINCE, UNTIL)
    assert f.members_total == 20  # the bot and the member who left are not counted
    assert f.new_members == 2
    assert f.welcome_completion == 50.0
    assert f.rules_acceptance == 100.0
    assert f.newcomer_activation == 50.0  # m18 replied on day 1 after joining, m19 did nothing
    assert f.active_members == 6  # m0 m1 m2 m3 m4 m18; m5 only received a reaction
    assert f.active_share == 30.0
    assert (f.split.creators, f.split.reactors, f.split.consumers) == (2, 4, 14)
    assert f.split.shares() == (70.0, 20.0, 10.0)
    assert f.levels == {0: 18, 1: 1, 2: 1}
    assert f.promotions == 1
    assert f.top_kinds[:2] == [("reply", 4), ("message", 2)]
    assert f.kudos_given == 2
    assert f.metric("creators_share") == 10.0
    assert f.metric("new_members") == 2

    before = await compute(facts, SINCE - timedelta(days=7), SINCE)
    assert before.active_members == 3
    assert (before.split.creators, before.split.reactors) == (1, 2)


async def test_ambassador_candidates_need_consistency_help_and_appreciation(
    facts: SqlCommunityFacts,
) -> None:
    # Only one week of data: nobody has been active in 3 of the last 4 weeks.
    assert await ambassador_candidates(facts, UNTIL, weeks=4, min_weeks=3, limit=5) == []
    found = await ambassador_candidates(facts, UNTIL, weeks=1, min_weeks=1, limit=5)
    # m2 replied and received kudos; m3 replied but nobody reacted; m0 only posted.
    assert [c.member_id for c in found] == ["console:m2"]
    assert (found[0].replies, found[0].kudos_received) == (2, 2)


async def test_twelve_week_series_and_csv(facts: SqlCommunityFacts) -> None:
    series = await weekly_series(facts, UNTIL, 12)
    assert len(series) == 12 and series[-1].active_members == 6 and series[-2].active_members == 3
    lines = to_csv(series).decode().splitlines()
    assert len(lines) == 13 and lines[0].startswith("week_start,week_end,members,new_members")
    assert lines[-1].split(",")[:4] == ["2026-03-23", "2026-03-30", "20", "2"]
