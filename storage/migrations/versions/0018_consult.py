"""consult: season posts claimed once, groundrules proposed and adopted together (issue 24)

Revision ID: 0018_consult
Revises: 0012_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_consult"
down_revision = "0012_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "season_posts",
        sa.Column("season", sa.String(16), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("season", name="pk_season_posts"),
    )
    op.create_table(
        "rule_proposals",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("proposed_by", sa.String(100), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("poll_id", sa.Integer, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.UniqueConstraint("version", name="uq_rule_proposals_version"),
    )
    op.create_table(
        "rule_acceptances",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("asked", sa.Boolean, nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("member_id", "version", name="pk_rule_acceptances"),
    )


def downgrade() -> None:
    op.drop_table("rule_acceptances")
    op.drop_table("rule_proposals")
    op.drop_table("season_posts")
