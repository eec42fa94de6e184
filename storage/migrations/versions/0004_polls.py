"""polls: tables (filled in by the polls feature)

Revision ID: 0004_polls
Revises: 0003_calendar
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0004_polls"
down_revision = "0003_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
