"""calendar: drop occurrences.claimed_at (written on every claim, never read; status=posting is the claim)

Revision ID: 0009_drop_claimed_at
Revises: 0007_privacy (on merge: whatever revision is the head before it, e.g. 0008)
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_drop_claimed_at"
down_revision = "0007_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calendar_occurrences") as batch:
        batch.drop_column("claimed_at")


def downgrade() -> None:
    with op.batch_alter_table("calendar_occurrences") as batch:
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
