"""Who was active in which week, and how many: the small rows the report counts people from.

The report's people figures (active members, creators, voters per period and per chart week)
used to group every member-week of `contribution_weekly` and join it with `members`: about a row
per member and week, 1.2M rows for 100k members over 12 weeks. The recognition writer now keeps,
in the same transaction as the daily and weekly rows:

- contribution_week_people  (week, role, member) -> the weekdays (bit 0 = Monday) on which the
                            member did something of that role: "active" (an OWN_KINDS
                            contribution), "creator" (CREATE_KINDS), "voter" (a vote). The days
                            let a period that cuts through a week count exactly.
- contribution_week_counts  (week, role) -> members: how many rows of that role the week has.
                            A row's first insert (INSERT ... ON CONFLICT DO NOTHING RETURNING,
                            atomic on SQLite and PostgreSQL, also between processes) adds one.
- contribution_day_kinds    (day, kind) -> count: every member's contributions of a kind that day.
- contribution_unregistered ids that contributed while the member registry did not know them
                            (a few at most): the report leaves them out, as it always did.

So a whole week's people are one row of counts, and "present at the period's end" is the
counts minus the few members who were not (bots, leavers, those who joined later, unregistered
ids; see storage/week_people_queries.py). Erasing a member deletes their rows and takes them off
the counts, as the report never counted erased members.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.members import members
from storage.recognition_tables import contribution_daily
from storage.schema import conflict_insert, metadata
from storage.week_roles import DAY_KINDS, UNREGISTERED, WEEK_COUNTS, WEEK_PEOPLE, monday, roles_of

week_people = Table(
    WEEK_PEOPLE,
    metadata,
    Column("week", Date, nullable=False),
    Column("role", String(8), nullable=False),
    Column("member_id", String(100), nullable=False),
    Column("days", Integer, nullable=False),
    PrimaryKeyConstraint("week", "role", "member_id", name="pk_contribution_week_people"),
    # a member's weeks with their roles and days from the index alone (the report's absent
    # members, cohorts and ambassadors read rows by member)
    Index("ix_contribution_week_people_member_days", "member_id", "week", "role", "days"),
)

week_counts = Table(
    WEEK_COUNTS,
    metadata,
    Column("week", Date, nullable=False),
    Column("role", String(8), nullable=False),
    Column("members", Integer, nullable=False),
    PrimaryKeyConstraint("week", "role", name="pk_contribution_week_counts"),
)

day_kinds = Table(
    DAY_KINDS,
    metadata,
    Column("day", Date, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("day", "kind", name="pk_contribution_day_kinds"),
)

unregistered = Table(
    UNREGISTERED,
    metadata,
    Column("member_id", String(100), nullable=False),
    PrimaryKeyConstraint("member_id", name="pk_contribution_unregistered"),
)


def people_and_kinds(
    daily: Iterable[tuple[date, str, str, int]],
) -> tuple[dict[tuple[date, str, str], int], Counter[tuple[date, str]]]:
    """A batch's (day, member, kind, count) rows as the roles of the week - (week, role,
    member) -> the bits of the weekdays they were active - and the counts per day and kind."""
    people: dict[tuple[date, str, str], int] = {}
    kinds: Counter[tuple[date, str]] = Counter()
    weeks: dict[date, date] = {}
    for day, member, kind, count in daily:
        kinds[(day, kind)] += count
        for role in roles_of(kind):
            week = weeks.get(day)
            if week is None:
                week = weeks[day] = monday(day)
            key = (week, role, member)
            people[key] = people.get(key, 0) | (1 << day.weekday())
    return people, kinds


async def write_people(conn: AsyncConnection, daily: Iterable[tuple[date, str, str, int]]) -> None:
    """Record a batch's (day, member, kind, count) aggregate rows, in the writer's transaction."""
    people, kinds = people_and_kinds(daily)
    if not kinds:
        return
    upsert = conflict_insert(conn.dialect.name)
    if people:
        await _people(conn, upsert, people)
    stmt = upsert(day_kinds)
    stmt = stmt.on_conflict_do_update(
        index_elements=["day", "kind"], set_={"count": day_kinds.c.count + stmt.excluded.count}
    )
    await conn.execute(
        stmt, [{"day": d, "kind": k, "count": n} for (d, k), n in sorted(kinds.items())]
    )


async def _people(
    conn: AsyncConnection, upsert: object, people: dict[tuple[date, str, str], int]
) -> None:
    new: Counter[tuple[date, str]] = Counter()
    inserted: set[tuple[date, str, str]] = set()
    keys = sorted(people)  # a fixed order: concurrent writers take row locks alike
    # One statement executed with a list of parameters: SQLAlchemy's "insertmanyvalues" renders
    # its multi-row pages from one compiled form. Rendering a literal multi-row VALUES (`.values`
    # with 500 rows) compiled 2,000 bound parameters per chunk on every batch: a 5,000-event
    # batch stalled the event loop for about 100 ms, a /me or a vote waiting behind it.
    stmt = (
        upsert(week_people)  # type: ignore[operator]
        .on_conflict_do_nothing()
        .returning(week_people.c.week, week_people.c.role, week_people.c.member_id)
    )
    rows = [{"week": w, "role": r, "member_id": m, "days": people[(w, r, m)]} for w, r, m in keys]
    for week, role, member in (await conn.execute(stmt, rows)).all():
        when = week if isinstance(week, date) else date.fromisoformat(str(week))
        new[(when, role)] += 1
        inserted.add((when, role, member))
    older = [key for key in keys if key not in inserted]
    if older:
        p = week_people.c
        await conn.execute(
            update(week_people)
            .where(
                and_(
                    p.week == bindparam("w"),
                    p.role == bindparam("r"),
                    p.member_id == bindparam("m"),
                    # only a new weekday writes: `days` is in the member index (report reads)
                    p.days.op("|")(bindparam("d")) != p.days,
                )
            )
            .values(days=p.days.op("|")(bindparam("d"))),
            [{"w": w, "r": r, "m": m, "d": people[(w, r, m)]} for w, r, m in older],
        )
    if new:
        stmt = upsert(week_counts)  # type: ignore[operator]
        stmt = stmt.on_conflict_do_update(
            index_elements=["week", "role"],
            set_={"members": week_counts.c.members + stmt.excluded.members},
        )
        await conn.execute(
            stmt, [{"week": w, "role": r, "members": n} for (w, r), n in sorted(new.items())]
        )
    await _note_unregistered(conn, upsert, {m for _, _, m in keys})


async def _note_unregistered(conn: AsyncConnection, upsert: object, ids: set[str]) -> None:
    """Remember ids the registry does not know (one indexed look-up of the batch's members)."""
    known = set(
        (await conn.execute(select(members.c.id).where(members.c.id.in_(sorted(ids))))).scalars()
    )
    strangers = sorted(ids - known)
    if strangers:
        await conn.execute(
            upsert(unregistered).on_conflict_do_nothing(),  # type: ignore[operator]
            [{"member_id": m} for m in strangers],
        )


async def erase_member(conn: AsyncConnection, member_id: str) -> None:
    """Take an erased member off the counts and drop their rows (the caller's transaction)."""
    p = week_people.c
    mine = (await conn.execute(select(p.week, p.role).where(p.member_id == member_id))).all()
    for week, role in mine:
        await conn.execute(
            update(week_counts)
            .where(week_counts.c.week == week, week_counts.c.role == role)
            .values(members=week_counts.c.members - 1)
        )
    await conn.execute(delete(week_people).where(p.member_id == member_id))
    d = contribution_daily.c
    per_day = (
        await conn.execute(
            select(d.day, d.kind, func.sum(d.count))
            .where(d.member_id == member_id)
            .group_by(d.day, d.kind)
        )
    ).all()
    for day, kind, count in per_day:
        await conn.execute(
            update(day_kinds)
            .where(day_kinds.c.day == day, day_kinds.c.kind == kind)
            .values(count=day_kinds.c.count - int(count))
        )
    await conn.execute(delete(unregistered).where(unregistered.c.member_id == member_id))
