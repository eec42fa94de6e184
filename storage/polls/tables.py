"""The polls tables (mirrored by migration 0004_polls)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from storage.schema import UtcDateTime, metadata

polls = Table(
    "polls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("question", String(300), nullable=False),
    Column("channel", String(100), nullable=False),
    Column("message_ref", String(200), nullable=True),
    Column("thread_ref", String(200), nullable=True),
    Column("creator_id", String(100), nullable=True),
    Column("max_choices", Integer, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    Column("live_results", Boolean, nullable=False),
    Column("allow_add", Boolean, nullable=False),
    Column("salt", String(128), nullable=True),
    Column("parent_id", Integer, ForeignKey("polls.id"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("reply_count", Integer, nullable=False, default=0),
    Index("ix_polls_open", "closed_at", "closes_at"),
    Index("ix_polls_created_at", "created_at"),  # the report counts polls opened per period
)

poll_options = Table(
    "poll_options",
    metadata,
    Column("poll_id", Integer, ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("label", String(100), nullable=False),
    Column("added_by", String(100), nullable=True),
)

poll_ballots = Table(
    "poll_ballots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("poll_id", Integer, ForeignKey("polls.id", ondelete="CASCADE"), nullable=False),
    Column("voter_key", String(128), nullable=False),
    Column("member_id", String(100), nullable=True),
    Column("taps", Integer, nullable=False, default=1),
    Column("first_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("poll_id", "voter_key", name="uq_poll_ballots_poll_voter"),
    Index("ix_poll_ballots_member_id", "member_id"),
    Index("ix_poll_ballots_first_at", "first_at"),  # the report counts ballots per period
)

poll_votes = Table(
    "poll_votes",
    metadata,
    Column(
        "ballot_id", Integer, ForeignKey("poll_ballots.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("slot", Integer, primary_key=True),
    Column("poll_id", Integer, ForeignKey("polls.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("cast_at", UtcDateTime, nullable=False),
    Index("ix_poll_votes_poll_id", "poll_id"),
)
