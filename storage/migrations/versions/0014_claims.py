"""work_claims: leased claims on due work, so several processes share it (issue 17)

Revision ID: 0014_claims
Revises: 0012_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_claims"
down_revision = "0012_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_claims",
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("ref", sa.String(200), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", "key", name="pk_work_claims"),
    )
    op.create_index("ix_work_claims_lease_until", "work_claims", ["lease_until"])


def downgrade() -> None:
    op.drop_index("ix_work_claims_lease_until", table_name="work_claims")
    op.drop_table("work_claims")
