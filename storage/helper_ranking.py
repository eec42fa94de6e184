"""The ambassadors' question - the best `top` helpers of some 7-day blocks - without grouping
every member's week rows.

The ranking's score is 2 x active blocks + replies + reactions received + prompt answers
+ 3 x hosted. The help sums come from the aggregate rows of those days (one GROUP BY over
the help kinds, ordered by their part of the score); the active blocks, worth at most
2 x blocks, are then looked up only for the members at the top, by member in the week-people
rows (index member_id, week). A member further down cannot pass the `top`-th found one when
their sums are more than 2 x blocks behind it; otherwise the next, larger slice is read. Members
in `best.keep` (kudos, newcomers helped) are always read, as the full ranking keeps them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.report.facts import BestHelpers
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


async def best_helpers(
    conn: AsyncConnection,
    blocks: list[tuple[date, date]],
    at: datetime,
    sums: Any,
    best: BestHelpers,
    first: int | None = None,
) -> list[HelperTuple]:
    """`first`: how many others the first slice reads (by default a few more than `top`)."""
    masks = [Period(first, last, at).masks() for first, last in blocks]
    who = await maybe_absent(conn, at, at)
    query, received, partial = _sums_by_member(sums)
    keep = sorted(best.keep)
    kept = sums.c.member_id.in_(keep)
    # one GROUP BY: the kept members first (all of them), then the others by their sums
    ranking = query.having(or_(received > 0, kept)).order_by(
        case((kept, 0), else_=1), partial.desc(), sums.c.member_id
    )
    limit = first or 2 * (best.top + len(who)) + 16
    while True:
        read = (await conn.execute(ranking.limit(len(keep) + limit))).all()
        rows = {str(row.member_id): row for row in read}
        ranked = [row for row in read if str(row.member_id) not in best.keep]
        found = _qualified(rows, await _active_blocks(conn, sorted(rows), masks), who, at, best)
        chosen = [row for row in found if row[0] not in best.keep]
        if len(read) < len(keep) + limit:
            break  # every helper was read
        lowest = int(ranked[-1].partial or 0)
        if len(chosen) >= best.top and _score(chosen[best.top - 1]) > lowest + 2 * len(blocks):
            break  # nobody further down can pass the top-th
        limit *= 4
    out = [row for row in found if row[0] in best.keep] + chosen[: best.top]
    out.sort(key=lambda row: row[0])
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
