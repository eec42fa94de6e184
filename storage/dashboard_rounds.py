"""Both rounds of a stelling for the dashboard's opinion shift: the positions per round and, when
neither round is anonymous, how each member's position moved - as (before, after) counts, never
with ids."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.dashboard.ports import RoundsRow
from storage.db import Database
from storage.report_figures import table


async def stelling_rounds(db: Database, pairs: Sequence[tuple[int, int]]) -> dict[int, RoundsRow]:
    """(second round, first round) poll ids -> the second round's id -> both rounds' figures."""
    p = table("polls", "id", "anonymous")
    ballots = table("poll_ballots", "id", "poll_id", "member_id")
    votes = table("poll_votes", "ballot_id", "poll_id", "position", "slot")
    if p is None or ballots is None or votes is None or not pairs:
        return {}
    ids = sorted({i for pair in pairs for i in pair})
    async with db.connect() as conn:
        anonymous = dict(
            (await conn.execute(select(p.c.id, p.c.anonymous).where(p.c.id.in_(ids)))).all()
        )
        voters: dict[int, int] = dict(
            (
                await conn.execute(
                    select(ballots.c.poll_id, func.count())
                    .where(ballots.c.poll_id.in_(ids))
                    .group_by(ballots.c.poll_id)
                )
            ).all()
        )
        counts: dict[int, dict[int, int]] = {i: {} for i in ids}
        for poll_id, position, n in await conn.execute(
            select(votes.c.poll_id, votes.c.position, func.count())
            .where(votes.c.poll_id.in_(ids))
            .group_by(votes.c.poll_id, votes.c.position)
        ):
            counts[poll_id][position] = int(n)
        found = {}
        for second, first in pairs:
            if second not in anonymous or first not in anonymous:
                continue
            linkable = not anonymous[second] and not anonymous[first]
            found[second] = RoundsRow(
                first_round=first,
                before=counts[first],
                voters_before=int(voters.get(first, 0)),
                after=counts[second],
                voters_after=int(voters.get(second, 0)),
                moves=await _moves(conn, first, second) if linkable else None,
            )
    return found


async def _moves(conn: AsyncConnection, first: int, second: int) -> dict[tuple[int, int], int]:
    """(position in the first round, in the second) -> how many members, matched by member id;
    erased members (no id) and members who answered one round only are not in it."""
    ballots = table("poll_ballots", "id", "poll_id", "member_id")
    votes = table("poll_votes", "ballot_id", "position", "slot")
    assert ballots is not None and votes is not None
    b1, b2 = ballots.alias("b1"), ballots.alias("b2")
    v1, v2 = votes.alias("v1"), votes.alias("v2")
    query = (
        select(v1.c.position, v2.c.position, func.count())
        .select_from(
            b1.join(b2, and_(b2.c.member_id == b1.c.member_id, b2.c.poll_id == second))
            .join(v1, and_(v1.c.ballot_id == b1.c.id, v1.c.slot == 0))
            .join(v2, and_(v2.c.ballot_id == b2.c.id, v2.c.slot == 0))
        )
        .where(b1.c.poll_id == first, b1.c.member_id.is_not(None))
        .group_by(v1.c.position, v2.c.position)
    )
    result = await conn.execute(query)
    return {(int(a), int(b)): int(n) for a, b, n in result}
