"""spotlight_report: tables (filled in by the spotlight_report feature)

Revision ID: 0006_spotlight_report
Revises: 0005_recognition
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0006_spotlight_report"
down_revision = "0005_recognition"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
