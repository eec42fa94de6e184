"""report: index the time columns the report counts by period (kudos, polls, ballots, joins)

Contributions need none: the report reads contribution_daily, whose primary key starts with
the day. `contributions` stays without secondary indexes (the hot write path).

Revision ID: 0011_report_indexes
Revises: 0010_member_sync
"""

from alembic import op

revision = "0011_report_indexes"
down_revision = "0010_member_sync"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_kudos_at", "kudos", ["at"]),
    ("ix_polls_created_at", "polls", ["created_at"]),
    ("ix_poll_ballots_first_at", "poll_ballots", ["first_at"]),
    ("ix_members_first_joined_at", "members", ["first_joined_at"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
