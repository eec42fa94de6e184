"""The week-people rows (storage/week_people.py, issue 18): kept by the recognition writer batch
after batch, backfilled by migration 0022, and the report's people counts read from them equal
a recount from the raw contributions - with leavers, a bot, an id the registry does not know and
an erased member. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, insert, select

from bot.features.report.facts import CREATE_KINDS, OWN_KINDS, BestHelpers
from bot.features.report.figures import ambassador_candidates
from bot.features.report.weeks import span_ending
from storage.db import Database, alembic_config
from storage.helper_ranking import BY_KEY, best_helpers
from storage.recognition import make_store as make_recognition_store
from storage.recognition_tables import contribution_daily
from storage.report import SqlCommunityFacts
from storage.report_rows import period_rows
from storage.week_people import day_kinds, week_counts, week_people
from storage.week_people_queries import HELP_KINDS, helper_rows
from tests.report.seed import seed
from tests.report.test_weekly_aggregates import (
    FIRST,
    LAST,
    PERIODS,
    TZ,
    community,
    end_of,
    summary_from_days,
)


@pytest.fixture
async def facts(storage_url: str) -> AsyncIterator[SqlCommunityFacts]:
    """The community of test_weekly_aggregates, its contributions written in many small batches
    (as the writer flushes them), so rows are inserted once and then updated."""
    db = Database.from_url(storage_url)
    await db.migrate()
    members, rows = community()
    await seed(db, "members", members)
    store = make_recognition_store(db)
    ordered = sorted(rows, key=lambda row: row[2])
    draw = random.Random(22)
    start = 0
    while start < len(ordered):
        size = draw.randrange(1, 60)
        await store.record(
            [
                (member, kind, "general", at, 20, None, 1, at.astimezone(TZ).date())
                for member, kind, at in ordered[start : start + size]
            ]
        )
        start += size
    try:
        yield SqlCommunityFacts(db)
    finally:
        await db.close()


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def recount(
    db: Database,
) -> tuple[dict[tuple[date, str, str], int], dict[tuple[date, str], int]]:
    """(week, role, member) -> weekday mask and (day, kind) -> count, from the daily rows."""
    d = contribution_daily.c
    people: dict[tuple[date, str, str], int] = defaultdict(int)
    kinds: dict[tuple[date, str], int] = defaultdict(int)
    async with db.connect() as conn:
        for member, day_, kind, count in await conn.execute(
            select(d.member_id, d.day, d.kind, d.count)
        ):
            day = _as_date(day_)
            if str(member).startswith("erased:"):
                continue
            kinds[(day, kind)] += int(count)
            week = day - timedelta(days=day.weekday())
            roles = ["active"] if kind in OWN_KINDS else []
            roles += ["creator"] if kind in CREATE_KINDS else []
            roles += ["voter"] if kind == "vote" else []
            for role in roles:
                people[(week, role, member)] |= 1 << day.weekday()
    return dict(people), dict(kinds)


async def stored(db: Database) -> tuple[dict[Any, int], dict[Any, int], dict[Any, int]]:
    p, c, k = week_people.c, week_counts.c, day_kinds.c
    async with db.connect() as conn:
        people = {
            (_as_date(w), r, m): int(n)
            for w, r, m, n in await conn.execute(select(p.week, p.role, p.member_id, p.days))
        }
        counts = {
            (_as_date(w), r): int(n)
            for w, r, n in await conn.execute(select(c.week, c.role, c.members))
            if n
        }
        kinds = {
            (_as_date(d), kind): int(n)
            for d, kind, n in await conn.execute(select(k.day, k.kind, k.count))
            if n
        }
    return people, counts, kinds


def counts_of(people: dict[tuple[date, str, str], int]) -> dict[tuple[date, str], int]:
    out: dict[tuple[date, str], int] = defaultdict(int)
    for week, role, _ in people:
        out[(week, role)] += 1
    return dict(out)


async def test_the_writer_keeps_the_week_people_batch_after_batch(
    facts: SqlCommunityFacts,
) -> None:
    expected_people, expected_kinds = await recount(facts.db)
    people, counts, kinds = await stored(facts.db)
    assert people == expected_people
    assert counts == counts_of(expected_people)
    assert kinds == expected_kinds
    assert any(bin(days).count("1") > 1 for days in people.values())  # updated, not only inserted


async def test_people_counts_equal_a_recount_after_an_erasure(facts: SqlCommunityFacts) -> None:
    """Leavers, the bot and the unknown id were never counted; an erased member stops counting
    (the report never counted erased members), in whole weeks and part-weeks alike."""
    before = await summary_from_days(facts.db, *PERIODS[0], end_of(PERIODS[0][1]))
    await make_recognition_store(facts.db).erase_member("console:p0")
    async with facts.db.begin() as conn:
        from storage.members import members

        await conn.execute(members.delete().where(members.c.id == "console:p0"))
    people, counts, kinds = await stored(facts.db)
    expected_people, expected_kinds = await recount(facts.db)
    assert people == expected_people and counts == counts_of(expected_people)
    assert kinds == expected_kinds
    for first, last in PERIODS:
        for at in (end_of(last), end_of(last) - timedelta(days=4)):
            expected = await summary_from_days(facts.db, first, last, at)
            assert await facts.activity_summary(first, last, at) == expected, (first, last, at)
    after = await facts.activity_summary(*PERIODS[0], end_of(PERIODS[0][1]))
    assert after.active == before.active - 1  # p0 posts most: active in every week
    for last in (LAST, LAST - timedelta(days=3)):
        spans = [
            (last - timedelta(days=7 * i + 6), last - timedelta(days=7 * i), end_of(last))
            for i in range(11, -1, -1)
        ]
        expected_weeks = [
            ((s := await summary_from_days(facts.db, a, b, at)).active, s.creators)
            for a, b, at in spans
        ]
        assert await facts.weekly_people(spans) == expected_weeks
    assert await facts.present_counts([end_of(LAST), end_of(FIRST)]) == [
        len(await facts.present_members(end_of(LAST))),
        len(await facts.present_members(end_of(FIRST))),
    ]


async def test_the_ambassadors_top_equals_the_full_ranking_with_managers_left_out(
    facts: SqlCommunityFacts,
) -> None:
    """The store returns only the top helpers: leaving out the best (managers) makes the
    ranking ask again, and the result is the one the full list gives."""
    daily_only = SqlCommunityFacts(facts.db)
    daily_only.whole_weeks = False
    moment = end_of(LAST) + timedelta(hours=9)
    span = span_ending(LAST, 7, TZ, moment)
    full = await ambassador_candidates(daily_only, span, weeks=4, min_weeks=1, limit=40)
    assert len(full) > 12
    best = {c.member_id for c in full[:12]}

    def managers(member_id: str, _name: str) -> bool:
        return member_id in best

    found = await ambassador_candidates(
        facts, span, weeks=4, min_weeks=1, limit=3, exclude=managers
    )
    expected = await ambassador_candidates(
        daily_only, span, weeks=4, min_weeks=1, limit=3, exclude=managers
    )
    assert found == expected == full[12:15]


def _upgrade_to(revision: str) -> Any:
    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    return run


async def test_the_migration_backfills_the_week_people(empty_storage_url: str) -> None:
    db = Database.from_url(empty_storage_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(_upgrade_to("0021_weekly_aggregates"))
        draw = random.Random(21)
        daily: dict[tuple[date, str, str], int] = {}
        kinds = ["message", "reply", "vote", "reaction_received", "hosted", "adjustment"]
        for _ in range(400):
            who = f"m{draw.randrange(9)}" if draw.random() > 0.05 else "erased:abc"
            key = (FIRST + timedelta(days=draw.randrange(70)), who, draw.choice(kinds))
            daily[key] = draw.randrange(1, 9)
        async with db.begin() as conn:
            await conn.execute(
                insert(contribution_daily),
                [
                    {"day": d, "member_id": m, "kind": k, "count": n, "points": 1}
                    for (d, m, k), n in daily.items()
                ],
            )
        await db.migrate()
        people, counts, found_kinds = await stored(db)
        expected_people, expected_kinds = await recount(db)
        assert people == expected_people and len(people) > 50
        assert counts == counts_of(expected_people)
        assert found_kinds == expected_kinds
    finally:
        await db.close()


MID_WEEK = LAST - timedelta(days=4)  # a Wednesday: blocks of part-weeks, days around them


@pytest.mark.parametrize("last", [LAST, MID_WEEK], ids=["sunday", "wednesday"])
@pytest.mark.parametrize("min_weeks", [1, 3])
async def test_the_ambassadors_top_is_the_full_rankings_at_every_size(
    facts: SqlCommunityFacts, min_weeks: int, last: date
) -> None:
    """The store reads the help sums of the best members first and their active weeks after
    (storage/helper_ranking.py): at every limit its top is the full ranking's."""
    daily_only = SqlCommunityFacts(facts.db)
    daily_only.whole_weeks = False
    moment = end_of(last) + timedelta(hours=9)
    span = span_ending(last, 7, TZ, moment)
    full = await ambassador_candidates(daily_only, span, weeks=4, min_weeks=min_weeks, limit=99)
    assert len(full) > 5
    for limit in range(1, len(full) + 2):
        found = await ambassador_candidates(facts, span, weeks=4, min_weeks=min_weeks, limit=limit)
        assert found == full[:limit], limit


@pytest.mark.parametrize("by_key", [BY_KEY, 0], ids=["threshold", "grouping"])
@pytest.mark.parametrize("last", [LAST, MID_WEEK], ids=["sunday", "wednesday"])
@pytest.mark.parametrize("min_weeks", [1, 3])
async def test_the_best_helpers_slice_by_slice_are_the_full_lists_best(
    facts: SqlCommunityFacts, min_weeks: int, last: date, by_key: int
) -> None:
    """Starting from the single best row's threshold (or slice: `by_key=0` ranks by grouping
    every member, as with many candidates), the ranking still goes on until nobody further
    down can pass the top-th; kept members (kudos, newcomers helped) are always there."""
    moment = end_of(last) + timedelta(hours=9)
    blocks = [(last - timedelta(days=7 * i + 6), last - timedelta(days=7 * i)) for i in range(4)]
    sums = period_rows(blocks, list(HELP_KINDS))
    assert sums is not None
    async with facts.db.connect() as conn:
        every = await helper_rows(conn, blocks, moment, sums)

        def score(row: tuple[str, int, int, int, int, int]) -> int:
            return 2 * row[1] + row[2] + row[3] + row[4] + 3 * row[5]

        able = [row for row in every if row[1] >= min_weeks]
        ranked = sorted((r for r in able if r[3] > 0), key=lambda r: (-score(r), r[0]))
        assert len(ranked) > 5
        keep = frozenset({ranked[-1][0], able[0][0]})
        others = [row for row in ranked if row[0] not in keep]
        for top in range(1, len(others) + 2):
            found = await best_helpers(
                conn, blocks, moment, sums, BestHelpers(min_weeks, top, keep), 1, by_key
            )
            expected = [row for row in able if row[0] in keep] + others[:top]
            assert found == sorted(expected), top
