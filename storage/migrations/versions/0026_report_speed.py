"""report speed (issue 18): the weekly rows by kind, week and count, so the ambassadors' ranking
reads a week's largest help rows only (storage/helper_ranking.py); the week-people rows by member
with their role and days, so a member's rows are read from the index alone (the report's absent
members, cohorts and ambassadors' active weeks)

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
    op.drop_index("ix_contribution_week_people_member", table_name="contribution_week_people")
    op.create_index(
        "ix_contribution_week_people_member_days",
        "contribution_week_people",
        ["member_id", "week", "role", "days"],
    )


def downgrade() -> None:
    op.drop_index("ix_contribution_week_people_member_days", table_name="contribution_week_people")
    op.create_index(
        "ix_contribution_week_people_member", "contribution_week_people", ["member_id", "week"]
    )
    op.drop_index("ix_contribution_weekly_kind_week_count", table_name="contribution_weekly")
