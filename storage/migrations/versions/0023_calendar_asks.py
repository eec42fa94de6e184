"""calendar asks: health_asks.theme, the calendar theme of a question prompt (issue 18)

A question prompt the calendar posts waits for a first reply like a member's question; its
nudge goes to that theme's hosts, so the ask keeps the theme's name.

Revision ID: 0023_calendar_asks
Revises: 0022_week_people
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_calendar_asks"
down_revision = "0022_week_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("health_asks") as batch:
        batch.add_column(sa.Column("theme", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("health_asks") as batch:
        batch.drop_column("theme")
