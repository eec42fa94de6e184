"""polls: polls, options, ballots and votes

Revision ID: 0004_polls
Revises: 0003_calendar
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_polls"
down_revision = "0003_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("question", sa.String(300), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("message_ref", sa.String(200), nullable=True),
        sa.Column("thread_ref", sa.String(200), nullable=True),
        sa.Column("creator_id", sa.String(100), nullable=True),
        sa.Column("max_choices", sa.Integer, nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("live_results", sa.Boolean, nullable=False),
        sa.Column("allow_add", sa.Boolean, nullable=False),
        sa.Column("salt", sa.String(128), nullable=True),
        sa.Column("parent_id", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_polls"),
        sa.ForeignKeyConstraint(["parent_id"], ["polls.id"], name="fk_polls_parent_id_polls"),
    )
    op.create_index("ix_polls_open", "polls", ["closed_at", "closes_at"])
    op.create_table(
        "poll_options",
        sa.Column("poll_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("poll_id", "position", name="pk_poll_options"),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name="fk_poll_options_poll_id_polls", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "poll_ballots",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("poll_id", sa.Integer, nullable=False),
        sa.Column("voter_key", sa.String(128), nullable=False),
        sa.Column("member_id", sa.String(100), nullable=True),
        sa.Column("taps", sa.Integer, nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_poll_ballots"),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name="fk_poll_ballots_poll_id_polls", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("poll_id", "voter_key", name="uq_poll_ballots_poll_voter"),
    )
    op.create_index("ix_poll_ballots_member_id", "poll_ballots", ["member_id"])
    op.create_table(
        "poll_votes",
        sa.Column("ballot_id", sa.Integer, nullable=False),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("poll_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ballot_id", "slot", name="pk_poll_votes"),
        sa.ForeignKeyConstraint(
            ["ballot_id"],
            ["poll_ballots.id"],
            name="fk_poll_votes_ballot_id_poll_ballots",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["poll_id"], ["polls.id"], name="fk_poll_votes_poll_id_polls", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_poll_votes_poll_id", "poll_votes", ["poll_id"])


def downgrade() -> None:
    op.drop_index("ix_poll_votes_poll_id", table_name="poll_votes")
    op.drop_table("poll_votes")
    op.drop_index("ix_poll_ballots_member_id", table_name="poll_ballots")
    op.drop_table("poll_ballots")
    op.drop_table("poll_options")
    op.drop_index("ix_polls_open", table_name="polls")
    op.drop_table("polls")
