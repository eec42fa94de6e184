"""weekly aggregates: contribution_weekly, backfilled from contribution_daily (issues 16, 18)

Revision ID: 0021_weekly_aggregates
Revises: 0020_dashboard
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_weekly_aggregates"
down_revision = "0020_dashboard"
branch_labels = None
depends_on = None

# The Monday of each daily row's week (the daily `day` is already the community's local day).
_WEEK = {
    "sqlite": "date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days')",
    "postgresql": "CAST(date_trunc('week', day) AS DATE)",
}


def upgrade() -> None:
    op.create_table(
        "contribution_weekly",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("week", "member_id", "kind", name="pk_contribution_weekly"),
    )
    week = _WEEK[op.get_bind().dialect.name]
    op.execute(
        "INSERT INTO contribution_weekly (week, member_id, kind, count, points) "
        f"SELECT {week}, member_id, kind, sum(count), sum(points) FROM contribution_daily "
        f"GROUP BY {week}, member_id, kind"
    )


def downgrade() -> None:
    op.drop_table("contribution_weekly")
