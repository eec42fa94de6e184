"""Issue 23: a "yes, we met" answer of an introduction counts as a two-way connection for the
group's members in the health figures, in the local week of the answer. On the known community of
test_figures (week 5: bob and erik are connected by replies both ways; anna -> bob is one way)."""

from __future__ import annotations

from datetime import timedelta

from bot.features.intros.pairing import Group
from bot.features.report.health_figures import compute_health, span_of_week
from bot.features.report.weeks import week_of
from storage.db import Database
from storage.intros import SqlIntrosStore
from storage.report import SqlCommunityFacts
from tests.health.test_figures import MOMENT, TZ, WEEK5, at, c, community


async def test_a_yes_from_an_introduction_connects_its_group_that_week(database: Database) -> None:
    await community(database)
    facts = SqlCommunityFacts(database)
    week4 = span_of_week(WEEK5 - timedelta(days=7), TZ, MOMENT)
    before = await compute_health(
        facts, week4, TZ, answer_within=timedelta(hours=4), newcomer_days=30
    )
    intros = SqlIntrosStore(database)
    made = at(WEEK5 - timedelta(days=7), 10)  # the round of the week before
    groups = [Group((c("anna"), c("dirk")), ()), Group((c("carla"), c("bob")), ())]
    assert await intros.create_round(made, 1, groups, [], now=made, followup_due=made)
    first, second = await intros.unsent()
    # Sunday 5 April 23:30 local is still week 5 (21:30 UTC): the local week counts.
    answered = at(WEEK5 + timedelta(days=6), 23, 30)
    week = week_of(answered, TZ)
    assert week == WEEK5
    assert await intros.record_met(first.id, c("dirk"), True, answered, week)
    assert await intros.record_met(first.id, c("dirk"), True, answered, week)  # clicked twice
    assert await intros.record_met(second.id, c("carla"), False, answered, week)  # did not meet

    span = span_of_week(WEEK5, TZ, MOMENT)
    health = await compute_health(
        facts, span, TZ, answer_within=timedelta(hours=4), newcomer_days=30
    )
    # bob and erik by replies, anna and dirk by their introduction; carla and bob did not meet
    # (bob already counts once).
    assert health.two_way_members == 4
    after = await compute_health(
        facts, week4, TZ, answer_within=timedelta(hours=4), newcomer_days=30
    )
    assert after.two_way_members == before.two_way_members  # the round's week is not changed
