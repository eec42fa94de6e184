"""intros and events: opt-ins, rounds, groups and answers; events, RSVPs, reminders, attendance
(issue 23)

Revision ID: 0017_intros_events
Revises: 0015_health
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_intros_events"
down_revision = "0015_health"
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

    op.create_table(
        "events",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(100), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=True),
        sa.Column("cancelled", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_key", sa.String(200), nullable=True),
        sa.Column("message_ref", sa.String(100), nullable=True),
        sa.Column("platform_ref", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("source_key", name="uq_events_source_key"),
    )
    op.create_index("ix_events_starts_at", "events", ["starts_at"])
    extras: tuple[tuple[str, list[sa.Column[object]]], ...] = (
        ("event_hosts", []),
        (
            "event_rsvps",
            [
                sa.Column("answer", sa.String(10), nullable=False),
                sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            ],
        ),
        (
            "event_attendance",
            [
                sa.Column("recorded_by", sa.String(100), nullable=False),
                sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            ],
        ),
    )
    for name, extra in extras:
        op.create_table(
            name,
            sa.Column("event_id", sa.Integer, nullable=False),
            sa.Column("member_id", sa.String(100), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(
                ["event_id"], ["events.id"], name=f"fk_{name}_event_id_events", ondelete="CASCADE"
            ),
            sa.PrimaryKeyConstraint("event_id", "member_id", name=f"pk_{name}"),
        )
        op.create_index(f"ix_{name}_member_id", name, ["member_id"])
    op.create_table(
        "event_sends",
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_event_sends_event_id_events", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "key", name="pk_event_sends"),
    )


def downgrade() -> None:
    op.drop_table("event_sends")
    for name in ("event_attendance", "event_rsvps", "event_hosts"):
        op.drop_index(f"ix_{name}_member_id", table_name=name)
        op.drop_table(name)
    op.drop_index("ix_events_starts_at", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_intros_group_members_member_id", table_name="intros_group_members")
    op.drop_table("intros_group_members")
    op.drop_index("ix_intros_groups_followup_due", table_name="intros_groups")
    op.drop_table("intros_groups")
    op.drop_table("intros_rounds")
    op.drop_table("intros_members")
