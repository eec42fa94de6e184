"""members: the member sync (present since before Plein, join time known, last sync seen in)

Revision ID: 0010_member_sync
Revises: 0009_drop_claimed_at
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_member_sync"
down_revision = "0009_drop_claimed_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("before_plein", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("join_time_known", sa.Boolean, nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("seen_in_sync", sa.Integer, nullable=True))
    op.create_table(
        "member_syncs",
        sa.Column("seq", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("sync_id", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_member_syncs"),
        sa.UniqueConstraint("sync_id", name="uq_member_syncs_sync_id"),
    )


def downgrade() -> None:
    op.drop_table("member_syncs")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("seen_in_sync")
        batch.drop_column("join_time_known")
        batch.drop_column("before_plein")
