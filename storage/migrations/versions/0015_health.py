"""health: asks and first replies, posters, pairs per week, active hours, ladder snapshots (issue 18)

Revision ID: 0015_health
Revises: 0014_claims

Members who already posted (recognition's daily aggregates) are entered as posters, so their
next message after the upgrade is not taken for a first post.
"""

from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from alembic import op

revision = "0015_health"
down_revision = "0014_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_asks",
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("author_id", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(100), nullable=True),
        sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("ref", name="pk_health_asks"),
    )
    op.create_index("ix_health_asks_asked_at", "health_asks", ["asked_at"])
    posters = op.create_table(
        "health_posters",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name="pk_health_posters"),
    )
    op.create_table(
        "health_pairs",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("from_id", sa.String(100), nullable=False),
        sa.Column("to_id", sa.String(100), nullable=False),
        sa.Column("replies", sa.Integer, nullable=False),
        sa.Column("reactions", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("week", "from_id", "to_id", name="pk_health_pairs"),
    )
    op.create_index("ix_health_pairs_week_to", "health_pairs", ["week", "to_id"])
    op.create_table(
        "health_connected",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("week", "member_id", name="pk_health_connected"),
    )
    op.create_table(
        "health_hours",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("week", "slot", "member_id", name="pk_health_hours"),
    )
    op.create_table(
        "health_hour_counts",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("week", "slot", name="pk_health_hour_counts"),
    )
    op.create_table(
        "health_ladder",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("week", "member_id", name="pk_health_ladder"),
    )
    daily = sa.table(
        "contribution_daily", sa.column("member_id", sa.String), sa.column("day", sa.Date)
    )
    kind = sa.column("kind", sa.String)
    found = op.get_bind().execute(
        sa.select(daily.c.member_id, sa.func.min(daily.c.day))
        .select_from(daily)
        .where(kind.in_(["message", "reply"]))
        .group_by(daily.c.member_id)
    )
    rows = [
        {"member_id": member, "first_at": datetime.combine(_day(day), time(0), tzinfo=UTC)}
        for member, day in found
    ]
    if rows:
        op.bulk_insert(posters, rows)


def _day(value: object) -> date:
    """min() over a Date comes back as text on SQLite."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    op.drop_table("health_ladder")
    op.drop_table("health_hour_counts")
    op.drop_table("health_hours")
    op.drop_table("health_connected")
    op.drop_index("ix_health_pairs_week_to", table_name="health_pairs")
    op.drop_table("health_pairs")
    op.drop_table("health_posters")
    op.drop_index("ix_health_asks_asked_at", table_name="health_asks")
    op.drop_table("health_asks")
