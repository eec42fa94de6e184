"""The ambassadors' question - the best `top` helpers of some 7-day blocks - without grouping
every member's rows.

The ranking's score is 2 x active blocks + replies + reactions received + prompt answers
+ 3 x hosted. The help sums (all but the active blocks) come from the aggregate rows of those
days. For a threshold T, every member whose sums reach T has a weekly row (contribution_weekly,
every week the blocks touch: a week's row is at least its days' rows) of at least T / rows
(rows: kinds x those weeks), so the whole-week rows above that bar - a range per kind and week
of the partial index of the help rows (kind, week, count), no daily rows even when the blocks
end in the middle of a week - find the few who may; their rows are then read by key and
grouped. The active blocks, worth at most 2 x blocks, are looked up only for them, by member in
the week-people rows (index member_id, week, role, days). When the `top`-th score found is at
least T + 2 x blocks nobody further down can pass it; otherwise T is lowered and read again.
When T is so low that more than BY_KEY members may reach it (a small community, or one where
help is spread thinly), one GROUP BY of every member's sums ranks them instead, read in slices
from the best down. Members in `best.keep` (kudos, newcomers helped) are always read, as the
full ranking keeps them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, or_, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.report.facts import BestHelpers
from storage.help_rows import HELP_ROWS
from storage.report_rows import full_weeks, joined, period_rows, weekly_table
from storage.week_people_queries import (
    HELP_KINDS,
    Period,
    Registered,
    chunks,
    maybe_absent,
    present,
    week_people_table,
)
from storage.week_roles import monday, mondays

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
    floor = await _first_threshold(conn, blocks, others)
    # a helper who gives as much every week: the first threshold, above the scan's floor; each
    # step down is a look at the bounds already read and the sums of the members it adds
    threshold = floor * _weeks_of(blocks)
    bounds = await help_bounds(conn, blocks, sums, floor) if floor > 0 else {}
    read: dict[str, Any] = {}
    active: dict[str, int] = {}
    while True:
        if 0 < threshold < floor:
            floor = max(threshold // 4, 1)  # read further down at once: each read is a pass
            bounds = await help_bounds(conn, blocks, sums, floor)
        ids = {member for member, bound in bounds.items() if bound >= threshold}
        if threshold <= 0 or len(ids) > by_key:
            return await _by_grouping(conn, masks, at, sums, best, who, others)
        fresh = sorted((ids | best.keep) - read.keys())
        read.update((str(row.member_id), row) for row in await _sums_of(conn, blocks, fresh))
        rows = {
            member: row
            for member, row in read.items()
            if member in best.keep or (row.reaction_received > 0 and row.partial >= threshold)
        }
        unseen = sorted(rows.keys() - active.keys())
        active.update(await _active_blocks(conn, unseen, masks) if unseen else {})
        active.update((member, 0) for member in unseen if member not in active)
        found = _qualified(rows, active, who, at, best)
        chosen = [row for row in found if row[0] not in best.keep]
        # Every helper not read has help sums below the threshold, so a score below
        # threshold + 2 x blocks: nobody further down can reach the top-th.
        if len(chosen) >= best.top and _score(chosen[best.top - 1]) >= threshold + 2 * len(blocks):
            return _chosen(found, chosen, best)
        threshold //= 2


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


WEIGHT = {"hosted": 3}
"""A help row's weight in the score (hosting counts three times); 1 for the other kinds."""


def _weighted(sums: Any) -> Any:
    """A row's part of the help sums."""
    return sums.c.count * case((sums.c.kind == "hosted", WEIGHT["hosted"]), else_=1)


def _by_weight() -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for kind in HELP_KINDS:
        out.setdefault(WEIGHT.get(kind, 1), []).append(kind)
    return out


async def _first_threshold(
    conn: AsyncConnection, blocks: list[tuple[date, date]], others: int
) -> int:
    """The `others`-th largest help row of the latest whole week inside the blocks (or, without
    one, of their last day): a first guess at one week's help of the `others`-th best helper
    (any guess is correct; a good one spares a second read). A whole week's are the `others`
    largest rows of each kind, read in order from the help rows' index (kind, week, count)."""
    first, last = _span(blocks)
    weeks = full_weeks(first, last)
    w = weekly_table()
    if weeks is not None and w is not None:
        tops = [
            select((w.c.count * weight).label("part"))
            .where(w.c.kind == kind, w.c.week == weeks[1], text(HELP_ROWS))
            .order_by(w.c.count.desc())
            .limit(others)
            .subquery()
            .select()
            for weight, kinds in _by_weight().items()
            for kind in kinds
        ]
        parts = sorted(int(part) for part in (await conn.execute(union_all(*tops))).scalars())
        found: Any = parts[-others] if 0 < others <= len(parts) else None
    else:
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


def _touched_weeks(blocks: list[tuple[date, date]]) -> list[date]:
    """The Monday of every week from the first to the last the blocks have a day in."""
    first, last = _span(blocks)
    return mondays(monday(first), last)


def _weeks_of(blocks: list[tuple[date, date]]) -> int:
    return len(_touched_weeks(blocks)) if full_weeks(*_span(blocks)) else 1


def _span(blocks: list[tuple[date, date]]) -> tuple[date, date]:
    return min(start for start, _ in blocks), max(end for _, end in blocks)


async def help_bounds(
    conn: AsyncConnection, blocks: list[tuple[date, date]], sums: Any, floor: int
) -> dict[str, int]:
    """An upper bound of the help sums of every member whose sums may reach `floor`.

    From the weekly rows of every week the blocks touch: a week's row sums all its days, so
    it is at least the member's rows of the days of that week inside the blocks, and the sums
    are at most `parts` weekly rows (kinds x weeks). A member reaching `floor` has one row of
    at least floor / parts (the bar); every row below it is at most `below`. So a member's
    sums are at most their rows above the bar plus `below` for each of their other parts, and
    only the rows above the bar are read: per kind and week a range of the index (kind, week,
    count), however the blocks fall on the weeks (a report in the middle of a week). Without
    weekly rows: the same bound from the rows of `sums` themselves."""
    w = weekly_table()
    if w is None:
        days = sum((end - start).days + 1 for start, end in blocks)  # daily rows only
        parts = len(HELP_KINDS) * days
        weighted = _weighted(sums)
        query = (
            select(sums.c.member_id, func.max(weighted))
            .where(weighted * parts >= floor)
            .group_by(sums.c.member_id)
        )
        return {str(member): int(top) * parts for member, top in await conn.execute(query)}
    weeks = _touched_weeks(blocks)
    parts = len(HELP_KINDS) * len(weeks)
    by_weight = _by_weight()
    # count x weight x parts >= floor, as the least `count` per weight: a range the index seeks
    bar = {weight: -(-floor // (weight * parts)) for weight in by_weight}
    above = [
        select(w.c.member_id.label("member_id"), (w.c.count * weight).label("part")).where(
            w.c.kind.in_(kinds),
            w.c.week.in_(weeks),
            w.c.count >= bar[weight],
            text(HELP_ROWS),  # the partial index's own words: SQLite then knows it holds them
        )
        for weight, kinds in by_weight.items()
    ]
    rows = union_all(*above).subquery()
    query = select(rows.c.member_id, func.sum(rows.c.part), func.count()).group_by(rows.c.member_id)
    below = max(weight * (bar[weight] - 1) for weight in by_weight)  # the most under the bar
    return {
        str(member): int(total) + (parts - int(n)) * below
        for member, total, n in await conn.execute(query)
    }


async def _sums_of(
    conn: AsyncConnection, blocks: list[tuple[date, date]], ids: list[str]
) -> list[Any]:
    """The help sums of `ids` (those who helped), their rows read by key
    (storage/report_rows.py period_rows with `members`)."""
    out: list[Any] = []
    for chunk in chunks(ids):
        rows = period_rows(joined(blocks), list(HELP_KINDS), members=chunk)
        if rows is None:
            continue
        query, _, _ = _sums_by_member(rows)
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
