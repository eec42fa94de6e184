"""calendar: tables (filled in by the calendar feature)

Revision ID: 0003_calendar
Revises: 0002_onboarding
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003_calendar"
down_revision = "0002_onboarding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
