"""dashboard: one-time login links for the managers' dashboard (issue 21)

Revision ID: 0020_dashboard
Revises: 0018_consult
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_dashboard"
down_revision = "0018_consult"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_links",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_dashboard_links"),
    )


def downgrade() -> None:
    op.drop_table("dashboard_links")
