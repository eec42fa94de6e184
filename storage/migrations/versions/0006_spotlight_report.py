"""spotlight_report: spotlight runs, preferences, nominations, stories, roles, report claims

Revision ID: 0006_spotlight_report
Revises: 0005_recognition
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_spotlight_report"
down_revision = "0005_recognition"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "spotlight_runs",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("interview", sa.String(16), nullable=False),
        sa.Column("chosen_at", _TS, nullable=False),
        sa.Column("posted_at", _TS, nullable=True),
        sa.Column("message_ref", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("week", name="pk_spotlight_runs"),
    )
    op.create_index("ix_spotlight_runs_member_id", "spotlight_runs", ["member_id"])
    op.create_table(
        "spotlight_answers",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("week", "idx", name="pk_spotlight_answers"),
    )
    op.create_table(
        "spotlight_prefs",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("choice", sa.String(8), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("member_id", name="pk_spotlight_prefs"),
    )
    op.create_table(
        "spotlight_nominations",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("nominated_by", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("used_week", sa.Date, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_spotlight_nominations"),
    )
    op.create_index("ix_spotlight_nominations_member_id", "spotlight_nominations", ["member_id"])
    op.create_table(
        "spotlight_claims",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("period_key", sa.String(40), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("kind", "period_key", name="pk_spotlight_claims"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(100), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("source_ref", sa.String(200), nullable=True),
        sa.Column("source_channel", sa.String(100), nullable=True),
        sa.Column("last_shown_at", _TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
        sa.UniqueConstraint("source_ref", name="uq_stories_source_ref"),
    )
    op.create_index("ix_stories_added_by", "stories", ["added_by"])
    op.create_table(
        "member_roles",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("role", sa.String(60), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("requested_at", _TS, nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=True),
        sa.Column("decided_at", _TS, nullable=True),
        sa.PrimaryKeyConstraint("member_id", "role", name="pk_member_roles"),
    )
    op.create_table(
        "report_runs",
        sa.Column("period_key", sa.String(40), nullable=False),
        sa.Column("posted_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("period_key", name="pk_report_runs"),
    )


def downgrade() -> None:
    for name in (
        "report_runs",
        "member_roles",
        "stories",
        "spotlight_claims",
        "spotlight_nominations",
        "spotlight_prefs",
        "spotlight_answers",
        "spotlight_runs",
    ):
        op.drop_table(name)
