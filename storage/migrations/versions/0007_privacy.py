"""privacy: tables (filled in by the privacy feature)

Revision ID: 0007_privacy
Revises: 0006_spotlight_report
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0007_privacy"
down_revision = "0006_spotlight_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
