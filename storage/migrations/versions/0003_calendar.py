"""calendar: occurrences, reply links, hosted items, RSVPs, pause state

Revision ID: 0003_calendar
Revises: 0002_onboarding
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_calendar"
down_revision = "0002_onboarding"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "calendar_occurrences",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("slot_key", sa.String(200), nullable=False),
        _when("scheduled_at", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("theme", sa.String(200), nullable=True),
        sa.Column("prompt_key", sa.String(40), nullable=True),
        sa.Column("prompt_type", sa.String(16), nullable=True),
        sa.Column("channel", sa.String(100), nullable=True),
        sa.Column("message_ref", sa.String(100), nullable=True),
        sa.Column("thread_ref", sa.String(100), nullable=True),
        _when("planned_at", nullable=False),
        _when("reminded_at"),
        _when("claimed_at"),
        _when("posted_at"),
        sa.Column("note", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_occurrences"),
        sa.UniqueConstraint("slot_key", "scheduled_at", name="uq_calendar_occurrences_slot_key"),
    )
    op.create_index(
        "ix_calendar_occurrences_scheduled_at", "calendar_occurrences", ["scheduled_at"]
    )
    op.create_index("ix_calendar_occurrences_posted_at", "calendar_occurrences", ["posted_at"])
    op.create_table(
        "calendar_replies",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("occurrence_id", sa.Integer, nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("message_ref", sa.String(100), nullable=False),
        _when("at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_replies"),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["calendar_occurrences.id"],
            name="fk_calendar_replies_occurrence_id_calendar_occurrences",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("message_ref", name="uq_calendar_replies_message_ref"),
    )
    op.create_index("ix_calendar_replies_occurrence_id", "calendar_replies", ["occurrence_id"])
    op.create_index("ix_calendar_replies_member_id", "calendar_replies", ["member_id"])
    for name in ("calendar_hosted", "calendar_rsvps"):
        op.create_table(
            name,
            sa.Column("occurrence_id", sa.Integer, nullable=False),
            sa.Column("member_id", sa.String(100), nullable=False),
            _when("at", nullable=False),
            sa.PrimaryKeyConstraint("occurrence_id", "member_id", name=f"pk_{name}"),
            sa.ForeignKeyConstraint(
                ["occurrence_id"],
                ["calendar_occurrences.id"],
                name=f"fk_{name}_occurrence_id_calendar_occurrences",
                ondelete="CASCADE",
            ),
        )
        op.create_index(f"ix_{name}_member_id", name, ["member_id"])
    op.create_table(
        "calendar_control",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=True),
        _when("changed_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_control"),
    )


def downgrade() -> None:
    for name in ("calendar_control", "calendar_rsvps", "calendar_hosted", "calendar_replies"):
        op.drop_table(name)
    op.drop_table("calendar_occurrences")
