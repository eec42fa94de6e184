"""foundation: members

Revision ID: 0001_foundation
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("is_bot", sa.Boolean, nullable=False),
        sa.Column("first_joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("join_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
    )


def downgrade() -> None:
    op.drop_table("members")
