"""report speed: the weekly rows by kind, week and count, so the ambassadors' ranking reads a
week's largest help rows only (issue 18; storage/helper_ranking.py)

Revision ID: 0026_report_speed
Revises: 0025_dashboard_snapshots
"""

from alembic import op

revision = "0026_report_speed"
down_revision = "0025_dashboard_snapshots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_contribution_weekly_kind_week_count",
        "contribution_weekly",
        ["kind", "week", "count", "member_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_contribution_weekly_kind_week_count", table_name="contribution_weekly")
