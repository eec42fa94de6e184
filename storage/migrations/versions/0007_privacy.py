"""privacy: tombstones for erased members, the per-database salt, the privacy audit log

Revision ID: 0007_privacy
Revises: 0006_spotlight_report
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_privacy"
down_revision = "0006_spotlight_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_settings",
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_privacy_settings"),
    )
    op.create_table(
        "member_tombstones",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name="pk_member_tombstones"),
    )
    op.create_table(
        "privacy_audit",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("subject_hash", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_privacy_audit"),
    )
    op.create_index("ix_members_left_at", "members", ["left_at"])


def downgrade() -> None:
    op.drop_index("ix_members_left_at", table_name="members")
    op.drop_table("privacy_audit")
    op.drop_table("member_tombstones")
    op.drop_table("privacy_settings")
