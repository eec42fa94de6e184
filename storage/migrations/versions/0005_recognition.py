"""recognition: raw contributions, daily aggregates, period totals, kudos, adjustments, levels

Revision ID: 0005_recognition
Revises: 0004_polls
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_recognition"
down_revision = "0004_polls"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "contributions",
        sa.Column("id", _Id, autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("length", sa.Integer, nullable=False),
        sa.Column("ref", sa.String(100), nullable=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contributions"),
    )
    op.create_table(
        "contribution_daily",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("day", "member_id", "kind", name="pk_contribution_daily"),
    )
    op.create_index("ix_contribution_daily_member_day", "contribution_daily", ["member_id", "day"])
    op.create_table(
        "contribution_totals",
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("period", "member_id", name="pk_contribution_totals"),
    )
    op.create_index(
        "ix_contribution_totals_period_points", "contribution_totals", ["period", "points"]
    )
    op.create_table(
        "kudos",
        sa.Column("id", _Id, autoincrement=True, nullable=False),
        sa.Column("giver_id", sa.String(100), nullable=False),
        sa.Column("receiver_id", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("channel", sa.String(100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kudos"),
    )
    op.create_index("ix_kudos_giver_at", "kudos", ["giver_id", "at"])
    op.create_index("ix_kudos_receiver_id", "kudos", ["receiver_id"])
    op.create_table(
        "points_adjustments",
        sa.Column("id", _Id, autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("amount", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("by_member", sa.String(100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_points_adjustments"),
    )
    op.create_index("ix_points_adjustments_member_id", "points_adjustments", ["member_id"])
    op.create_table(
        "member_levels",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("announced", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("role", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("member_id", name="pk_member_levels"),
    )
    op.create_index("ix_member_levels_changed_at", "member_levels", ["changed_at"])


def downgrade() -> None:
    for table in (
        "member_levels",
        "points_adjustments",
        "kudos",
        "contribution_totals",
        "contribution_daily",
        "contributions",
    ):
        op.drop_table(table)
