"""The spotlight feature's tables: weekly runs, interview answers, preferences, nominations,
claims, the story archive and community roles."""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, PrimaryKeyConstraint, String, Table, Text

from storage.schema import UtcDateTime, metadata

spotlight_runs = Table(
    "spotlight_runs",
    metadata,
    Column("week", Date, primary_key=True),
    Column("member_id", String(100), nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("interview", String(16), nullable=False),
    Column("chosen_at", UtcDateTime, nullable=False),
    Column("posted_at", UtcDateTime, nullable=True),
    Column("message_ref", String(200), nullable=True),
)

spotlight_answers = Table(
    "spotlight_answers",
    metadata,
    Column("week", Date, nullable=False),
    Column("idx", Integer, nullable=False),
    Column("answer", Text, nullable=False),
    PrimaryKeyConstraint("week", "idx", name="pk_spotlight_answers"),
)

spotlight_prefs = Table(
    "spotlight_prefs",
    metadata,
    Column("member_id", String(100), primary_key=True),
    Column("choice", String(8), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

spotlight_nominations = Table(
    "spotlight_nominations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", String(100), nullable=False, index=True),
    Column("nominated_by", String(100), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("used_week", Date, nullable=True),
)

spotlight_claims = Table(
    "spotlight_claims",
    metadata,
    Column("kind", String(20), nullable=False),
    Column("period_key", String(40), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("kind", "period_key", name="pk_spotlight_claims"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("added_by", String(100), nullable=True, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String(12), nullable=False),
    Column("source_ref", String(200), nullable=True, unique=True),
    Column("source_channel", String(100), nullable=True),
    Column("last_shown_at", UtcDateTime, nullable=True),
)

member_roles = Table(
    "member_roles",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("role", String(60), nullable=False),
    Column("status", String(12), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("decided_by", String(100), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("member_id", "role", name="pk_member_roles"),
)
