"""dashboard snapshots: each page's last figures, served at once after a restart (issue 21)

Revision ID: 0025_dashboard_snapshots
Revises: 0023_calendar_asks
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_dashboard_snapshots"
down_revision = "0023_calendar_asks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_snapshots",
        sa.Column("page", sa.String(20), nullable=False),
        sa.Column("config_key", sa.String(64), nullable=False),
        sa.Column("privacy_mark", sa.String(64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("page", name="pk_dashboard_snapshots"),
    )


def downgrade() -> None:
    op.drop_table("dashboard_snapshots")
