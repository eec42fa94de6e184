"""Every figure of the report on a known dataset: a community that was there before Plein (joined
long ago) plus members who joined later, seeded into the other features' tables. Contributions go
through the recognition store's real write path, so the daily aggregates are the production ones.

The week is Mon 23 - Sun 29 March 2026 in Europe/Amsterdam, whose clocks go forward on the
Sunday: local days, not UTC days, bound the period.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config.goals import Goal
from bot.features.report.export import to_csv
from bot.features.report.figures import ambassador_candidates, compute, weekly_series
from bot.features.report.render import GoalResult, Report, render_report
from bot.features.report.weeks import span_ending
from bot.i18n import Translator
from storage.db import Database
from storage.report import SqlCommunityFacts
from tests.report.seed import record_contributions, seed

TZ = ZoneInfo("Europe/Amsterdam")
LAST_DAY = date(2026, 3, 29)  # Sunday; the weekly report goes out Monday 30 March
MOMENT = datetime(2026, 3, 30, 9, 0, tzinfo=TZ)
LONG_AGO = datetime(2024, 5, 1, tzinfo=UTC)  # here before Plein was installed


def local(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


def member(name: str, joined: datetime = LONG_AGO, left: datetime | None = None) -> dict[str, Any]:
    return {
        "id": f"console:{name}",
        "name": name,
        "is_bot": False,
        "first_joined_at": joined,
        "joined_at": joined,
        "left_at": left,
        "join_count": 1,
    }


def c(name: str) -> str:
    return f"console:{name}"


@pytest.fixture
async def facts(storage_url: str) -> AsyncIterator[SqlCommunityFacts]:
    db = Database.from_url(storage_url)
    await db.migrate()
    # 14 members present before Plein (p0..p13), two who joined during the week (n0, n1), one who
    # joined on the report's own morning (n2: present at 09:00, not in the complete week), one
    # who left mid-week, one who left long ago, and a bot.
    members = [member(f"p{i}") for i in range(14)]
    members += [member("n0", local(24, 10)), member("n1", local(26, 15))]
    members += [member("n2", local(30, 8))]
    members += [
        member("gone", left=local(25, 18)),
        member("oldleaver", left=local(1, 1) - timedelta(days=60)),
    ]
    members.append({**member("bot"), "is_bot": True})
    await seed(db, "members", members)
    await record_contributions(
        db,
        [
            # creators: p0 (three posts), p1 (hosted), p6 (post late on Sunday, local time)
            (c("p0"), "message", local(24)),
            (c("p0"), "message", local(24, 13)),
            (c("p0"), "message", local(25)),
            (c("p1"), "hosted", local(26, 20)),
            (c("p6"), "message", local(29, 23, 30)),  # Sun 21:30 UTC: inside the local week
            # reactors: p2, p3 (replies), p4 (votes), n0 (replied the day after joining),
            # p7 (replied at 00:30 on Monday local = Sunday 23:30 UTC of the week before)
            (c("p2"), "reply", local(25)),
            (c("p2"), "reply", local(26)),
            (c("p3"), "reply", local(27)),
            (c("n0"), "reply", local(25, 9)),
            (c("p7"), "reply", local(23, 0, 30)),
            # votes: p0 in a poll and a stelling, p2 in the poll, p4 in both: 3 people, 5 votes
            (c("p0"), "vote", local(25)),
            (c("p0"), "vote", local(26)),
            (c("p2"), "vote", local(25)),
            (c("p4"), "vote", local(25)),
            (c("p4"), "vote", local(26)),
            # not activity, or not a present member: received reactions, the leaver, the bot,
            # a voter unknown to the registry (never more voters than members)
            (c("p3"), "reaction_received", local(27)),
            (c("p5"), "reaction_received", local(27)),
            (c("gone"), "message", local(24)),
            (c("bot"), "message", local(24)),
            (c("ghost"), "vote", local(25)),
            # the week before, and the report's own morning (after the complete week)
            (c("p6"), "message", local(18)),
            (c("p8"), "reply", local(22, 23, 30)),
            (c("p9"), "message", local(30, 8)),
        ],
        TZ,
    )
    week = local(25)
    await seed(
        db,
        "polls",
        [
            {"kind": "poll", "question": "Waar?", "channel": "general", "max_choices": 1,
             "anonymous": False, "live_results": True, "allow_add": False,
             "created_at": week, "closes_at": week + timedelta(days=3)},
            {"kind": "stelling", "question": "Eens?", "channel": "general", "max_choices": 1,
             "anonymous": True, "live_results": True, "allow_add": False,
             "created_at": week, "closes_at": week + timedelta(days=3)},
        ],
    )  # fmt: skip
    # Ballots as the polls store keeps them: the anonymous stelling stores a keyed hash per
    # poll, so one person has a different voter_key in each poll.
    ballots = [(1, "console:p0"), (1, "console:p2"), (1, "console:p4")]
    ballots += [(2, "hash-a"), (2, "hash-b")]
    await seed(
        db,
        "poll_ballots",
        [
            {"poll_id": p, "voter_key": k, "taps": 1, "first_at": week, "updated_at": week}
            for p, k in ballots
        ],
    )
    await seed(
        db,
        "kudos",
        [
            {"giver_id": c("p0"), "receiver_id": c("p2"), "reason": "top", "at": local(26)},
            {"giver_id": c("p3"), "receiver_id": c("p2"), "reason": "dank", "at": local(27)},
            {"giver_id": c("p3"), "receiver_id": c("p1"), "reason": "old", "at": LONG_AGO},
        ],
    )
    await seed(
        db,
        "onboarding_state",
        [
            {
                "member_id": c("n0"),
                "welcomed_at": local(24, 10),
                "rules_accepted_at": local(24, 11),
                "questions_done_at": local(24, 11),
            },
            {"member_id": c("n1"), "welcomed_at": local(26, 15), "rules_accepted_at": local(27)},
        ],
    )
    await seed(
        db,
        "member_levels",
        [
            {"member_id": c("p0"), "level": 2, "announced": 2, "changed_at": local(26)},
            {"member_id": c("p1"), "level": 1, "announced": 1, "changed_at": LONG_AGO},
            {"member_id": c("gone"), "level": 1, "announced": 1, "changed_at": LONG_AGO},
        ],
    )
    yield SqlCommunityFacts(db)
    await db.close()


WEEK = span_ending(LAST_DAY, 7, TZ, MOMENT)


async def test_every_weekly_figure_counts_people_present_at_the_end(
    facts: SqlCommunityFacts,
) -> None:
    f = await compute(facts, WEEK, TZ)
    assert (f.first_day, f.last_day) == (date(2026, 3, 23), LAST_DAY)
    # Members: the 14 who were there before Plein + n0 + n1; not n2 (joined after the week),
    # the leavers or the bot.
    assert f.members_total == 16
    assert f.new_members == 2  # members present before Plein are never new
    assert f.welcome_completion == 50.0
    assert f.rules_acceptance == 100.0
    assert f.newcomer_activation == 50.0  # n0 replied the day after joining; n1 did nothing
    # p0 p1 p2 p3 p4 p6 p7 n0; p5 only received a reaction, p8 and p9 are outside the week
    assert f.active_members == 8
    assert f.active_share == 50.0
    assert (f.split.creators, f.split.reactors, f.split.consumers) == (3, 5, 8)
    assert f.split.shares() == (50.0, 31.2, 18.8)
    assert f.levels == {0: 14, 1: 1, 2: 1}
    assert f.promotions == 1
    assert f.top_kinds == [("reply", 5), ("vote", 5), ("message", 4), ("hosted", 1)]
    # 5 votes and 5 ballots, but 3 people: p0 and p4 voted in the poll and the stelling.
    assert (f.polls.opened, f.polls.ballots, f.polls.voters) == (2, 5, 3)
    assert f.poll_participation == 18.8
    assert f.kudos_given == 2
    assert f.metric("creators_share") == 18.8
    assert f.metric("new_members") == 2
    assert f.metric("prompt_answers") is None  # no calendar prompt this week: no data yet


async def test_the_week_before_and_the_month(facts: SqlCommunityFacts) -> None:
    before = await compute(facts, span_ending(LAST_DAY - timedelta(days=7), 7, TZ, MOMENT), TZ)
    assert before.members_total == 15  # "gone" was still there; n0 and n1 not yet
    assert before.new_members == 0
    assert (before.active_members, before.split.creators) == (2, 1)  # p6 posted, p8 replied
    assert before.poll_participation is None  # no poll ran: no data, not 0%

    month = await compute(facts, span_ending(LAST_DAY, 30, TZ, MOMENT), TZ)
    assert (month.members_total, month.active_members, month.polls.voters) == (16, 9, 3)


async def test_no_share_can_exceed_all_members(facts: SqlCommunityFacts) -> None:
    for days in (1, 7, 30, 365):
        f = await compute(facts, span_ending(LAST_DAY, days, TZ, MOMENT), TZ)
        shares = (f.active_share, f.poll_participation, f.welcome_completion)
        assert all(s is None or 0 <= s <= 100 for s in shares)
        assert f.polls.voters <= f.active_members <= f.members_total


async def test_on_demand_report_includes_today_so_far(facts: SqlCommunityFacts) -> None:
    today = span_ending(date(2026, 3, 30), 7, TZ, MOMENT)
    f = await compute(facts, today, TZ)
    assert f.members_total == 17  # n2 joined this morning
    assert f.new_members == 3
    assert f.active_members == 8  # p9 posted this morning; p7's Monday falls out of the week


async def test_a_goal_without_data_says_so(facts: SqlCommunityFacts) -> None:
    f = await compute(facts, WEEK, TZ)
    goals = [
        GoalResult(Goal(name="Prompts beantwoord", metric="prompt_answers", target=10), None),
        GoalResult(Goal(name="Actief", metric="active_share", target=60), f.metric("active_share")),
    ]
    t = Translator("nl", timezone=TZ)
    text = render_report(
        t,
        Report("week", f, f, goals, []),
        community="Plein",
        level_names=["Lezer", "Deelnemer", "Kern"],
        mention=lambda member_id: "@" + member_id,
    )
    assert "nog geen gegevens" in text and "Prompts beantwoord" in text
    assert "⚠️ Actief: 50% van 60% per week - achter" in text
    assert "Leden: 16 (2 nieuw)" in text
    assert "3 leden stemden (19% van de leden)" in text
    assert "(23 mrt - 29 mrt)" in text


async def test_ambassador_candidates_need_consistency_help_and_appreciation(
    facts: SqlCommunityFacts,
) -> None:
    # Only one week of data: nobody has been active in 3 of the last 4 weeks.
    assert await ambassador_candidates(facts, WEEK, weeks=4, min_weeks=3, limit=5) == []
    found = await ambassador_candidates(facts, WEEK, weeks=1, min_weeks=1, limit=5)
    # p2 replied and received kudos, p3 replied and got a reaction; n0 and p7 replied without
    # appreciation, p0 only posted.
    assert [x.member_id for x in found] == [c("p2"), c("p3")]
    assert (found[0].replies, found[0].kudos_received) == (2, 2)
    managers = await ambassador_candidates(
        facts, WEEK, weeks=1, min_weeks=1, limit=5, exclude=lambda i, name: name == "p2"
    )
    assert [x.member_id for x in managers] == [c("p3")]


async def test_twelve_week_series_and_csv(facts: SqlCommunityFacts) -> None:
    series = await weekly_series(facts, LAST_DAY, 12, TZ, MOMENT)
    assert len(series) == 12 and series[-1].active_members == 8 and series[-2].active_members == 2
    lines = to_csv(series).decode().splitlines()
    assert len(lines) == 13 and lines[0].startswith("week_start,week_end,members,new_members")
    assert lines[-1].split(",")[:4] == ["2026-03-23", "2026-03-30", "16", "2"]
