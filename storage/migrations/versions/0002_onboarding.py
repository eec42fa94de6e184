"""onboarding: member state, answers, follow-ups and the throttled welcome queue

Revision ID: 0002_onboarding
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_onboarding"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onboarding_state",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("welcomed_join", sa.Integer, nullable=False),
        sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rules_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("question_pos", sa.Integer, nullable=True),
        sa.Column("questions_done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("intro_posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_post_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("member_id", name="pk_onboarding_state"),
    )
    op.create_table(
        "onboarding_answers",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(40), nullable=False),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("member_id", "question_id", name="pk_onboarding_answers"),
    )
    op.create_table(
        "onboarding_followups",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("member_id", "idx", name="pk_onboarding_followups"),
    )
    op.create_index(
        "ix_onboarding_followups_status_due", "onboarding_followups", ["status", "due_at"]
    )
    op.create_table(
        "onboarding_queue",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_onboarding_queue"),
    )
    op.create_index("ix_onboarding_queue_sent_at", "onboarding_queue", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_onboarding_queue_sent_at", table_name="onboarding_queue")
    op.drop_table("onboarding_queue")
    op.drop_index("ix_onboarding_followups_status_due", table_name="onboarding_followups")
    op.drop_table("onboarding_followups")
    op.drop_table("onboarding_answers")
    op.drop_table("onboarding_state")
