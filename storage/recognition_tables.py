"""Recognition tables. Plain on purpose: the spotlight and report features query them too.

- contributions        raw events (member, kind, channel, time, local day, length, ref, points);
                       never message text; deleted after `recognition.raw_retention`.
- contribution_daily   per (local day, member, kind): count and points. Maintained in the same
                       transaction as the raw insert, so it is complete on its own; kind
                       "adjustment" holds manager grants/revocations.
- contribution_weekly  per (local week's Monday, member, kind): count and points. Kept by the
                       writer in the same transaction as the daily rows (the report and its
                       chart read whole weeks here: up to 7 times fewer rows than daily).
- contribution_totals  per (period, member): points; period "all", "wYYYY-WW" (ISO week) or
                       "mYYYY-MM". The leaderboard source.
- kudos                giver, receiver, reason (the giver's words), channel, time.
- points_adjustments   the audit of /points give|revoke.
- member_levels        current ladder rung, the highest rung announced, when it last changed.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)

from storage.help_rows import HELP_ROWS
from storage.schema import UtcDateTime, metadata

_Id = BigInteger().with_variant(Integer, "sqlite")

contributions = Table(
    "contributions",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("member_id", String(100), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("channel", String(100), nullable=True),
    Column("at", UtcDateTime, nullable=False),
    Column("day", Date, nullable=False),
    Column("length", Integer, nullable=False),
    Column("ref", String(100), nullable=True),
    Column("points", Integer, nullable=False),
)
"""No secondary indexes on purpose: each one costs a large share of the ingest rate. Retention
finds its cutoff by binary search on `id` (ids grow with `at`); export/erase scan the table,
which holds at most `raw_retention` of events."""

contribution_daily = Table(
    "contribution_daily",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("day", Date, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("count", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    PrimaryKeyConstraint("day", "member_id", "kind", name="pk_contribution_daily"),
    Index("ix_contribution_daily_member_day", "member_id", "day"),
)

contribution_weekly = Table(
    "contribution_weekly",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("week", Date, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("count", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    PrimaryKeyConstraint("week", "member_id", "kind", name="pk_contribution_weekly"),
    # the ambassadors' ranking reads only a week's largest help rows (storage/helper_ranking.py);
    # partial, so the rows of other kinds (most of them) cost the writer nothing more
    Index(
        "ix_contribution_weekly_help",
        "kind",
        "week",
        "count",
        "member_id",
        sqlite_where=text(HELP_ROWS),
        postgresql_where=text(HELP_ROWS),
    ),
)
"""`week` is the Monday of the local week: the sum of `contribution_daily` over its 7 days."""

contribution_totals = Table(
    "contribution_totals",
    metadata,
    Column("period", String(16), nullable=False),
    Column("member_id", String(100), nullable=False),
    Column("points", Integer, nullable=False),
    PrimaryKeyConstraint("period", "member_id", name="pk_contribution_totals"),
    Index("ix_contribution_totals_period_points", "period", "points"),
)

kudos = Table(
    "kudos",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("giver_id", String(100), nullable=False),
    Column("receiver_id", String(100), nullable=False),
    Column("reason", Text, nullable=True),
    Column("channel", String(100), nullable=True),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_kudos_giver_at", "giver_id", "at"),
    Index("ix_kudos_receiver_id", "receiver_id"),
    Index("ix_kudos_at", "at"),  # the report counts kudos per period
)

points_adjustments = Table(
    "points_adjustments",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("member_id", String(100), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("reason", Text, nullable=True),
    Column("by_member", String(100), nullable=True),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_points_adjustments_member_id", "member_id"),
)

member_levels = Table(
    "member_levels",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("level", Integer, nullable=False),
    Column("announced", Integer, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("role", String(100), nullable=True),
    PrimaryKeyConstraint("member_id", name="pk_member_levels"),
    Index("ix_member_levels_changed_at", "changed_at"),
)
