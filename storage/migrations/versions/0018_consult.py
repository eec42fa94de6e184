"""consult: season posts claimed once, groundrules made together, surveys (issue 24)

Revision ID: 0018_consult
Revises: 0017_intros_events
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_consult"
down_revision = "0017_intros_events"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "season_posts",
        sa.Column("season", sa.String(16), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("season", name="pk_season_posts"),
    )
    op.create_table(
        "rule_proposals",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
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
    op.create_table(
        "surveys",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("creator_id", sa.String(100), nullable=True),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_ref", sa.String(200), nullable=True),
        sa.Column("salt", sa.String(64), nullable=True),
    )
    op.create_table(
        "survey_questions",
        sa.Column(
            "survey_id", _ID, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("survey_id", "position", name="pk_survey_questions"),
    )
    op.create_table(
        "survey_responses",
        sa.Column(
            "survey_id", _ID, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("responder", sa.String(100), nullable=False),
        sa.Column("member_id", sa.String(100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("survey_id", "responder", name="pk_survey_responses"),
    )
    op.create_table(
        "survey_answers",
        sa.Column(
            "survey_id", _ID, sa.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("responder", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("survey_id", "responder", "position", name="pk_survey_answers"),
    )


def downgrade() -> None:
    for table in ("survey_answers", "survey_responses", "survey_questions", "surveys"):
        op.drop_table(table)
    op.drop_table("rule_acceptances")
    op.drop_table("rule_proposals")
    op.drop_table("season_posts")
