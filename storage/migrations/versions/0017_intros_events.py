"""intros and events: opt-ins, rounds, groups and answers; events, RSVPs, reminders, attendance
(issue 23)

Revision ID: 0017_intros_events
Revises: 0012_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_intros_events"
down_revision = "0012_inbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intros_members",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("opted_in", sa.Boolean, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("skip_next", sa.Boolean, nullable=False),
        sa.Column("trios", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("member_id", name="pk_intros_members"),
    )
    op.create_table(
        "intros_rounds",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intros_rounds"),
        sa.UniqueConstraint("scheduled_at", name="uq_intros_rounds_scheduled_at"),
    )
    op.create_table(
        "intros_groups",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followup_due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("followup_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["intros_rounds.id"],
            name="fk_intros_groups_round_id_intros_rounds",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_intros_groups"),
    )
    op.create_index("ix_intros_groups_followup_due", "intros_groups", ["followup_due"])
    op.create_table(
        "intros_group_members",
        sa.Column("group_id", sa.Integer, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("third", sa.Boolean, nullable=False),
        sa.Column("met", sa.Boolean, nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["intros_groups.id"],
            name="fk_intros_group_members_group_id_intros_groups",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "member_id", name="pk_intros_group_members"),
    )
    op.create_index("ix_intros_group_members_member_id", "intros_group_members", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_intros_group_members_member_id", table_name="intros_group_members")
    op.drop_table("intros_group_members")
    op.drop_index("ix_intros_groups_followup_due", table_name="intros_groups")
    op.drop_table("intros_groups")
    op.drop_table("intros_rounds")
    op.drop_table("intros_members")
