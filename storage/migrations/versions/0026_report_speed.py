"""report speed (issue 18): the weekly help rows by kind, week and count, so the ambassadors'
ranking reads a week's largest help rows only (storage/helper_ranking.py; partial: the other
kinds' rows cost the writer nothing more); the week-people rows by member
with their role and days, so a member's rows are read from the index alone (the report's absent
members, cohorts and ambassadors' active weeks)

Revision ID: 0026_report_speed
Revises: 0025_dashboard_snapshots
"""

import sqlalchemy as sa
from alembic import op

# Must match storage/recognition_tables.py HELP_ROWS (the ambassadors' help kinds).
_HELP_ROWS = "kind IN ('reply', 'reaction_received', 'prompt_answer', 'hosted')"

revision = "0026_report_speed"
down_revision = "0025_dashboard_snapshots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_contribution_weekly_help",
        "contribution_weekly",
        ["kind", "week", "count", "member_id"],
        sqlite_where=sa.text(_HELP_ROWS),
        postgresql_where=sa.text(_HELP_ROWS),
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
    op.drop_index("ix_contribution_weekly_help", table_name="contribution_weekly")
