"""consult: season posts claimed once (issue 24)

Revision ID: 0018_consult
Revises: 0012_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_consult"
down_revision = "0012_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "season_posts",
        sa.Column("season", sa.String(16), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("season", name="pk_season_posts"),
    )


def downgrade() -> None:
    op.drop_table("season_posts")
