"""The ambassadors' question - the best `top` helpers of some 7-day blocks - without grouping
every member's rows.

The ranking's score is 2 x active blocks + replies + reactions received + prompt answers
+ 3 x hosted. The help sums (all but the active blocks) come from the aggregate rows of those
days. For a threshold T, every member whose sums reach T has one row of at least T / rows
(rows: kinds x the weeks and days the blocks read), so one pass over the rows - no grouping,
no sort - finds the few who may; their rows are then read by key and grouped. The active
blocks, worth at most 2 x blocks, are looked up only for them, by member in the week-people
rows (index member_id, week). When the `top`-th score found is at least T + 2 x blocks nobody
further down can pass it; otherwise T is lowered and read again. When T is so low that more
than BY_KEY members may reach it (a small community, or one where help is spread thinly), one
GROUP BY of every member's sums ranks them instead, read in slices from the best down. Members
in `best.keep` (kudos, newcomers helped) are always read, as the full ranking keeps them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.report.facts import BestHelpers
from storage.report_rows import full_weeks, period_rows, weekly_table
from storage.week_people_queries import (
    HELP_KINDS,
    Period,
    Registered,
    chunks,
    maybe_absent,
    present,
    week_people_table,
)

HelperTuple = tuple[str, int, int, int, int, int]
"""(member, active blocks, replies, reactions received, prompt answers, hosted)"""


def _sums_by_member(sums: Any) -> Any:
    totals = [
        func.sum(case((sums.c.kind == kind, sums.c.count), else_=literal(0))).label(kind)
        for kind in HELP_KINDS
    ]
    replies, received, answers, hosted = totals
    partial = (replies + received + answers + 3 * hosted).label("partial")
    query = (
        select(sums.c.member_id, *totals, partial)
        .group_by(sums.c.member_id)
        .having(replies + answers + hosted > 0)
    )
    return query, received, partial


async def _active_blocks(
    conn: AsyncConnection, ids: list[str], masks: list[dict[date, int]]
) -> dict[str, int]:
    """Per member: how many of the blocks (weekday masks per week) they were active in."""
    p = week_people_table().c
    weeks = [week for mask in masks for week in mask]
    seen: dict[str, set[int]] = {}
    for chunk in chunks(ids):
        query = select(p.member_id, p.week, p.days).where(
            p.member_id.in_(chunk),
            p.role == "active",
            p.week >= min(weeks),
            p.week <= max(weeks),
        )
        for member_id, week_, days in await conn.execute(query):
            week = week_ if isinstance(week_, date) else date.fromisoformat(str(week_))
            for i, mask in enumerate(masks):
                if int(days) & mask.get(week, 0):
                    seen.setdefault(str(member_id), set()).add(i)
    return {member_id: len(blocks) for member_id, blocks in seen.items()}


BY_KEY = 10_000
"""At most this many members' rows are read by key; more (a low threshold, a small community
where most rows are small) are ranked by one GROUP BY of every member instead."""


async def best_helpers(
    conn: AsyncConnection,
    blocks: list[tuple[date, date]],
    at: datetime,
    sums: Any,
    best: BestHelpers,
    first: int | None = None,
    by_key: int = BY_KEY,
) -> list[HelperTuple]:
    """`first`: how many others the first threshold (or slice) is set for (by default a few
    more than `top`)."""
    masks = [Period(first, last, at).masks() for first, last in blocks]
    who = await maybe_absent(conn, at, at)
    others = first or 2 * (best.top + len(who)) + 16
    threshold = await _first_threshold(conn, blocks, others)
    while True:
        ids = await _candidates(conn, blocks, sums, threshold) if threshold > 0 else None
        if ids is None or len(ids) > by_key:
            return await _by_grouping(conn, masks, at, sums, best, who, others)
        read = await _sums_of(conn, blocks, ids | best.keep, threshold, best.keep)
        rows = {str(row.member_id): row for row in read}
        found = _qualified(rows, await _active_blocks(conn, sorted(rows), masks), who, at, best)
        chosen = [row for row in found if row[0] not in best.keep]
        # Every helper not read has help sums below the threshold, so a score below
        # threshold + 2 x blocks: nobody further down can reach the top-th.
        if len(chosen) >= best.top and _score(chosen[best.top - 1]) >= threshold + 2 * len(blocks):
            return _chosen(found, chosen, best)
        threshold //= 4


def _chosen(found: list[HelperTuple], chosen: list[HelperTuple], best: BestHelpers) -> list[Any]:
    out = [row for row in found if row[0] in best.keep] + chosen[: best.top]
    out.sort(key=lambda row: row[0])
    return out


async def _by_grouping(
    conn: AsyncConnection,
    masks: list[dict[date, int]],
    at: datetime,
    sums: Any,
    best: BestHelpers,
    who: dict[str, Registered | None],
    limit: int,
) -> list[HelperTuple]:
    """One GROUP BY of every member's help sums, read in slices from the best down."""
    query, received, partial = _sums_by_member(sums)
    keep = sorted(best.keep)
    kept = sums.c.member_id.in_(keep)
    # the kept members first (all of them), then the others by their sums
    ranking = query.having(or_(received > 0, kept)).order_by(
        case((kept, 0), else_=1), partial.desc(), sums.c.member_id
    )
    while True:
        read = (await conn.execute(ranking.limit(len(keep) + limit))).all()
        rows = {str(row.member_id): row for row in read}
        ranked = [row for row in read if str(row.member_id) not in best.keep]
        found = _qualified(rows, await _active_blocks(conn, sorted(rows), masks), who, at, best)
        chosen = [row for row in found if row[0] not in best.keep]
        if len(read) < len(keep) + limit:
            break  # every helper was read
        lowest = int(ranked[-1].partial or 0)
        if len(chosen) >= best.top and _score(chosen[best.top - 1]) > lowest + 2 * len(masks):
            break  # nobody further down can pass the top-th
        limit *= 4
    return _chosen(found, chosen, best)


def _weighted(sums: Any) -> Any:
    """A row's part of the help sums (hosting counts three times)."""
    return sums.c.count * case((sums.c.kind == "hosted", 3), else_=1)


async def _first_threshold(
    conn: AsyncConnection, blocks: list[tuple[date, date]], others: int
) -> int:
    """The `others`-th largest help row of one week (or, without a whole week, one day) of the
    latest block: a first guess at the sums of the `others`-th best helper, read from one
    primary-key range (any guess is correct; a good one spares a second read)."""
    first, last = blocks[0]
    weeks = full_weeks(first, last)
    rows = period_rows([(weeks[1], weeks[1] + timedelta(days=6)) if weeks else (last, last)])
    if rows is None:
        return 0
    part = _weighted(rows).label("part")
    query = (
        select(part)
        .where(rows.c.kind.in_(HELP_KINDS))
        .order_by(part.desc())
        .offset(max(others - 1, 0))
        .limit(1)
    )
    found = (await conn.execute(query)).scalar()
    return max(int(found or 0), 1)


def _units(blocks: list[tuple[date, date]]) -> int:
    """How many weeks and days the blocks' rows come from (storage/report_rows.py): a member
    has at most one row per kind in each."""
    units = 0
    for first, last in blocks:
        days = (last - first).days + 1
        weeks = full_weeks(first, last) if weekly_table() is not None else None
        whole = 0 if weeks is None else (weeks[1] - weeks[0]).days // 7 + 1
        units += whole + days - 7 * whole
    return units


async def _candidates(
    conn: AsyncConnection, blocks: list[tuple[date, date]], sums: Any, threshold: int
) -> set[str]:
    """Every member whose help sums may reach `threshold`: a member's sums are at most `rows`
    rows (kinds x the weeks and days the blocks read), so reaching it needs one row of at least
    threshold / rows. One pass over the rows, no grouping, no sort."""
    parts = len(HELP_KINDS) * _units(blocks)
    query = select(sums.c.member_id).where(_weighted(sums) * parts >= threshold).distinct()
    return {str(member_id) for member_id in (await conn.execute(query)).scalars()}


async def _sums_of(
    conn: AsyncConnection,
    blocks: list[tuple[date, date]],
    ids: set[str],
    threshold: int,
    keep: frozenset[str],
) -> list[Any]:
    """The help sums of those of `ids` whose sums reach `threshold` and of the kept members,
    their rows read by key (storage/report_rows.py period_rows with `members`)."""
    out: list[Any] = []
    for chunk in chunks(sorted(ids)):
        rows = period_rows(blocks, list(HELP_KINDS), members=chunk)
        if rows is None:
            continue
        query, received, partial = _sums_by_member(rows)
        kept = rows.c.member_id.in_(sorted(keep & set(chunk)))
        query = query.having(or_(and_(received > 0, partial >= threshold), kept))
        out.extend((await conn.execute(query)).all())
    return out


def _score(row: HelperTuple) -> int:
    _, weeks, replies, received, answers, hosted = row
    return 2 * weeks + replies + received + answers + 3 * hosted


def _qualified(
    rows: dict[str, Any],
    active: dict[str, int],
    who: dict[str, Registered | None],
    at: datetime,
    best: BestHelpers,
) -> list[HelperTuple]:
    """Present members active in at least `min_weeks` blocks, best first."""
    out = []
    for member_id, row in rows.items():
        if member_id in who and not present(who[member_id], at):
            continue
        weeks = active.get(member_id, 0)
        if weeks < best.min_weeks:
            continue
        replies, received, answers, hosted = (int(row._mapping[kind] or 0) for kind in HELP_KINDS)
        out.append((member_id, weeks, replies, received, answers, hosted))
    out.sort(key=lambda row: (row[0] not in best.keep, -_score(row), row[0]))
    return out
