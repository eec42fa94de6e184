"""Every health figure on a known dataset, on SQLite and PostgreSQL.

The community (Europe/Amsterdam): anna and bob were there before Plein; carla, dirk and erik are
newcomers. Week 1 is Mon 2 - Sun 8 March 2026 (the report week is week 5, Mon 30 March - Sun 5
April, after the clocks went forward). Rows go in through the health store's real write path
(`record`), as the ingest batches them; contributions through recognition's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.features.health.ports import Asked, AskKind, FirstPost, Replied, Seen, Touched
from bot.features.report.facts import ReportDataError
from bot.features.report.figures import ambassador_candidates
from bot.features.report.health_figures import chart_data, compute_health, span_of_week
from bot.health import StorageUnavailable
from storage.db import Database
from storage.health import SqlHealthStore, health_ladder
from storage.report import SqlCommunityFacts
from tests.report.seed import record_contributions, seed

TZ = ZoneInfo("Europe/Amsterdam")
WEEK1 = date(2026, 3, 2)
WEEK5 = date(2026, 3, 30)
LONG_AGO = datetime(2024, 5, 1, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def c(name: str) -> str:
    return f"console:{name}"


def member(name: str, joined: datetime, before_plein: bool = False) -> dict[str, Any]:
    return {
        "id": c(name),
        "name": name,
        "is_bot": False,
        "first_joined_at": joined,
        "joined_at": joined,
        "left_at": None,
        "join_count": 1,
        "before_plein": before_plein,
    }


async def community(db: Database) -> None:
    await seed(
        db,
        "members",
        [
            member("anna", LONG_AGO, before_plein=True),
            member("bob", LONG_AGO, before_plein=True),
            member("carla", at(WEEK1, 9)),
            member("dirk", at(WEEK1 + timedelta(days=1), 20)),
            member("erik", at(WEEK5, 8)),
        ],
    )
    store = SqlHealthStore(db)
    w5 = WEEK5
    # Report week (5): bob asks in the help channel, anna answers after 3 hours; carla asks and
    # nobody answers; erik (new this week) posts for the first time and bob replies after 30
    # minutes; anna's first post since the upgrade is not a newcomer's.
    await store.record(
        [
            Asked("q-bob", AskKind.QUESTION, c("bob"), "vragen", at(w5, 10)),
            Asked("q-carla", AskKind.QUESTION, c("carla"), "vragen", at(w5, 11)),
            FirstPost(c("erik"), "p-erik", "algemeen", at(w5, 9)),
            FirstPost(c("anna"), "p-anna", "algemeen", at(w5, 9, 30)),
            Replied(("p-erik",), c("bob"), at(w5, 9, 30)),
            Replied(("q-carla",), c("carla"), at(w5, 11, 5)),  # her own follow-up: no answer
            Replied(("q-bob",), c("anna"), at(w5, 13)),
            Replied(("q-bob",), c("dirk"), at(w5, 14)),  # second reply: the first one counts
        ]
    )
    # Help and connections: in week 1 anna replied to carla and reacted to dirk (two newcomers),
    # carla replied to anna (two-way); in week 5 bob helped erik and erik reacted back.
    await store.record(
        [
            Touched(WEEK1, c("anna"), c("carla"), 1, 0),
            Touched(WEEK1, c("anna"), c("dirk"), 0, 1),
            Touched(WEEK1, c("carla"), c("anna"), 1, 0),
            Touched(w5, c("bob"), c("erik"), 1, 0),
            Touched(w5, c("erik"), c("bob"), 0, 1),
            Touched(w5, c("anna"), c("bob"), 0, 3),  # one way only
        ]
    )
    # Active hours in week 5: Monday 10:00 bob and anna, Monday 10:00 bob again (counted once),
    # Tuesday 20:00 carla.
    await store.record(
        [
            Seen(w5, 10, c("bob")),
            Seen(w5, 10, c("anna")),
            Seen(w5, 24 + 20, c("carla")),
        ]
    )
    await store.record([Seen(w5, 10, c("bob"))])  # a later batch (a restart): still once
    # Contributions: carla active in week 2 and week 5 (4 weeks after joining), dirk in week 2.
    await record_contributions(
        db,
        [
            (c("carla"), "message", at(WEEK1, 10)),
            (c("carla"), "reply", at(WEEK1 + timedelta(days=8), 10)),
            (c("carla"), "message", at(w5 + timedelta(days=1), 10)),
            (c("dirk"), "reaction_given", at(WEEK1 + timedelta(days=9), 10)),
            (c("anna"), "reply", at(w5, 13)),
            (c("bob"), "message", at(w5, 10)),
        ],
        TZ,
    )
    # Ladder snapshots: week 1 anna on rung 2, bob on rung 1; week 5 anna still 2, bob back on
    # the first rung, carla up to 1.
    async with db.begin() as conn:
        await conn.execute(
            health_ladder.insert(),
            [
                {"week": WEEK1, "member_id": c("anna"), "level": 2},
                {"week": WEEK1, "member_id": c("bob"), "level": 1},
                {"week": WEEK5, "member_id": c("anna"), "level": 2},
                {"week": WEEK5, "member_id": c("carla"), "level": 1},
            ],
        )


MOMENT = at(WEEK5 + timedelta(days=7), 9)


async def test_every_health_figure_on_a_known_community(database: Database) -> None:
    await community(database)
    facts = SqlCommunityFacts(database)
    span = span_of_week(WEEK5, TZ, MOMENT)
    health = await compute_health(
        facts, span, TZ, answer_within=timedelta(hours=4), newcomer_days=30
    )
    # Fast answers: bob's question (3h, within 4h), carla's (never), erik's first post (30 min).
    assert health.questions.due == 2 and health.questions.answered == 1
    assert health.newcomer_posts.due == 1 and health.newcomer_posts.answered_within == 1
    assert health.all_asks.due == 3
    assert health.all_asks.answered_within == 2
    assert health.all_asks.waiting == 1
    assert health.all_asks.median_minutes == pytest.approx((30 + 180) / 2)
    assert health.metric("answered_share") == pytest.approx(66.7)
    assert health.metric("median_first_response") == pytest.approx(105.0)
    # Connections in week 5: bob and erik (two-way); anna -> bob is one way.
    assert health.two_way_members == 2
    assert (health.newcomers, health.newcomers_connected) == (1, 1)  # erik, within his weeks
    assert health.metric("newcomer_connected_share") == 100.0
    assert [(h.member_id, h.newcomers) for h in health.helpers] == [(c("bob"), 1)]
    # Retention: the week-1 cohort (carla, dirk) - both active in week 2, carla in week 5.
    week1 = next(row for row in health.cohorts if row.week == WEEK1)
    assert week1.size == 2 and week1.active_after == {1: 2, 4: 1}
    assert health.metric("retention_week4") == 50.0
    # Ladder movement between the snapshots four weeks apart: carla up, bob down.
    assert (health.promotions, health.demotions) == (1, 1)

    # Over the first weeks anna helped two newcomers: she leads the helpers there.
    early = await compute_health(
        facts,
        span_of_week(WEEK1, TZ, MOMENT),
        TZ,
        answer_within=timedelta(hours=4),
        newcomer_days=30,
    )
    assert [(h.member_id, h.newcomers, h.touches) for h in early.helpers] == [(c("anna"), 2, 2)]
    assert early.two_way_members == 2  # anna and carla
    assert (early.newcomers, early.newcomers_connected) == (2, 1)  # carla yes, dirk no

    charts = await chart_data(
        facts, facts, WEEK5 + timedelta(days=6), TZ, MOMENT, max_weeks=12, goal_share=50
    )
    # Only weeks since the first data (carla's join in week 1), not twelve.
    assert charts.weeks[0] == WEEK1 and len(charts.weeks) == 5
    assert charts.members == [4, 4, 4, 4, 5]
    assert charts.active == [1, 2, 0, 0, 3]  # carla, anna, bob
    assert charts.goal_active == 2.5  # 50% of the 5 members in the last week
    assert charts.ladder[0] == {0: 2, 1: 1, 2: 1}  # carla and dirk on the first rung
    assert charts.ladder[-1] == {0: 3, 1: 1, 2: 1}
    assert charts.heatmap[0][10] == pytest.approx(2 / 4)  # two members, averaged over 4 weeks
    assert charts.heatmap[1][20] == pytest.approx(1 / 4)
    assert sum(map(sum, charts.heatmap)) == pytest.approx(3 / 4)


async def test_helping_newcomers_makes_an_ambassador_candidate(database: Database) -> None:
    await community(database)
    facts = SqlCommunityFacts(database)
    await record_contributions(
        database,
        [(c("anna"), "reply", at(WEEK1 + timedelta(weeks=w), 12)) for w in range(3)],
        TZ,
    )
    span = span_of_week(WEEK1 + timedelta(weeks=2), TZ, MOMENT)
    without = await ambassador_candidates(facts, span, weeks=3, min_weeks=3, limit=5)
    assert without == []  # active, but no reactions or kudos received
    found = await ambassador_candidates(
        facts, span, weeks=3, min_weeks=3, limit=5, health=facts, newcomer_days=30
    )
    assert [(f.member_id, f.newcomers_helped) for f in found] == [(c("anna"), 2)]


async def test_a_renamed_column_is_an_error_not_a_zero(database: Database) -> None:
    """The old report read tables by name and mapped any error to 0."""
    await community(database)
    facts = SqlCommunityFacts(database)
    async with database.begin() as conn:
        await conn.exec_driver_sql("ALTER TABLE health_asks RENAME COLUMN answered_at TO replied")
        await conn.exec_driver_sql("ALTER TABLE contribution_daily RENAME COLUMN day TO dag")
        # whole weeks are read from the weekly aggregate (migration 0021), edge days from daily
        await conn.exec_driver_sql("ALTER TABLE contribution_weekly RENAME COLUMN week TO wk")
        # people and kind counts come from the week-people rows (migration 0022)
        for name, column in (
            ("contribution_week_people", "week"),
            ("contribution_week_counts", "week"),
            ("contribution_day_kinds", "day"),
        ):
            await conn.exec_driver_sql(f"ALTER TABLE {name} RENAME COLUMN {column} TO renamed")
    span = span_of_week(WEEK5, TZ, MOMENT)
    # A schema the code does not know is a storage failure (the bot stops taking work and says
    # so) or a report error the managers are told about - never a figure.
    failures = (ReportDataError, StorageUnavailable)
    with pytest.raises(failures):
        await facts.activity_summary(span.first_day, span.last_day, span.end)
    with pytest.raises(failures):
        await compute_health(facts, span, TZ, answer_within=timedelta(hours=4), newcomer_days=30)
