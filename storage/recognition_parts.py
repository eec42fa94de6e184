"""The batched writer's transaction, handed over to an interaction that waits for it.

SQLite has one writer; a batch of thousands of contributions holds the write turn for tens of
milliseconds, and under a busy event loop (every statement is a turn of the loop) for hundreds:
a vote or a kudos arriving meanwhile waited for all of it. So a large batch is cut into parts of
whole members (`member_parts`), written one after another in one transaction; after each part
the writer asks whether an urgent writer (an interaction, the inbox an ack waits for) waits for
the turn (storage/db.py, `Database.urgent_waiting`), and only then commits what it wrote so far
and takes a new turn for the rest, behind the waiter. When nobody waits it is one transaction,
as before; when someone does, the wait is one part's write, not the batch's.

Whole members per part, not slices of the batch: every aggregate row (a member's day, week,
totals and roles of the week) comes from exactly one part, so the parts together write as many
aggregate rows as the batch in one piece would (slices of the batch wrote a member's aggregates
once per slice). A crash between two parts' commits keeps the parts committed, each complete
(raw rows and their aggregates together); the rest is lost like an unwritten buffer.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.recognition.ports import ContributionRow
from storage.db import Database
from storage.recognition_writer import write_rows

PART_ROWS = 1500
"""About this many rows per part (a part holds whole members, so parts vary around it)."""


def member_parts(rows: Sequence[ContributionRow], size: int) -> list[Sequence[ContributionRow]]:
    """`rows` cut into parts of whole members of about `size` rows each, each part in the
    order of `rows`; a batch not larger than `size` stays one part."""
    count = -(-len(rows) // size)
    if count <= 1:
        return [rows]
    parts: list[list[ContributionRow]] = [[] for _ in range(count)]
    slot: dict[str, list[ContributionRow]] = {}
    for row in rows:
        member = row[0]
        part = slot.get(member)
        if part is None:
            part = slot[member] = parts[len(slot) % count]
        part.append(row)
    return [part for part in parts if part]


async def record_in_parts(
    db: Database, rows: Sequence[ContributionRow], part_rows: int = PART_ROWS
) -> None:
    """Write `rows` with their aggregates: one transaction, unless an urgent writer waits for
    the write turn after a part; then the parts written so far commit and the rest follows in
    a transaction of its own (and so on). Retried on a locked database as `Database.write`."""
    parts = member_parts(rows, part_rows) if db.is_sqlite else [rows]
    written = 0

    async def until_someone_waits(conn: AsyncConnection) -> int:
        done = written
        while done < len(parts):
            await write_rows(conn, parts[done])
            done += 1
            if db.urgent_waiting():
                break
        return done

    while written < len(parts):
        written = await db.write(until_someone_waits)
