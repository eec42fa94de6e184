"""recognition: tables (filled in by the recognition feature)

Revision ID: 0005_recognition
Revises: 0004_polls
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0005_recognition"
down_revision = "0004_polls"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
