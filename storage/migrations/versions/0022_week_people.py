"""week people: who was active in which week and how many, per-day kind totals (issue 18)

Backfilled from contribution_daily, so an existing community's report keeps its figures.

Revision ID: 0022_week_people
Revises: 0021_weekly_aggregates
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_week_people"
down_revision = "0021_weekly_aggregates"
branch_labels = None
depends_on = None

# Monday of the daily row's week and its weekday (0 = Monday); `day` is already a local day.
_WEEKDAY = {
    "sqlite": "((CAST(strftime('%w', day) AS INTEGER) + 6) % 7)",
    "postgresql": "(CAST(extract(isodow FROM day) AS INTEGER) - 1)",
}
_WEEK = {
    "sqlite": "date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days')",
    "postgresql": "CAST(date_trunc('week', day) AS DATE)",
}
# Must match bot/features/report/facts.py (OWN_KINDS, CREATE_KINDS).
_OWN = (
    "'message', 'reply', 'reaction_given', 'vote', 'prompt_answer', 'questions_completed', "
    "'hosted', 'attended', 'event_attended'"
)
# Erased members' rows (renamed "erased:...") are not counted (storage/week_people.py).
_KEPT = "member_id NOT LIKE 'erased:%'"
_ROLES = {"active": _OWN, "creator": "'message', 'hosted'", "voter": "'vote'"}


def upgrade() -> None:
    op.create_table(
        "contribution_week_people",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.Column("days", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("week", "role", "member_id", name="pk_contribution_week_people"),
    )
    op.create_index(
        "ix_contribution_week_people_member",
        "contribution_week_people",
        ["member_id", "week"],
    )
    op.create_table(
        "contribution_week_counts",
        sa.Column("week", sa.Date, nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("members", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("week", "role", name="pk_contribution_week_counts"),
    )
    op.create_table(
        "contribution_day_kinds",
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", name="pk_contribution_day_kinds"),
    )
    op.create_table(
        "contribution_unregistered",
        sa.Column("member_id", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name="pk_contribution_unregistered"),
    )
    op.create_index(  # a partial index: the few bots (the report leaves them out)
        "ix_members_bots",
        "members",
        ["id"],
        sqlite_where=sa.text("is_bot = 1"),
        postgresql_where=sa.text("is_bot = true"),
    )
    dialect = op.get_bind().dialect.name
    week, weekday = _WEEK[dialect], _WEEKDAY[dialect]
    for role, kinds in _ROLES.items():
        op.execute(
            "INSERT INTO contribution_week_people (week, role, member_id, days) "
            f"SELECT week, '{role}', member_id, sum(bit) FROM ("
            f"SELECT DISTINCT {week} AS week, member_id, 1 << {weekday} AS bit "
            f"FROM contribution_daily WHERE kind IN ({kinds}) AND {_KEPT}) AS found "
            "GROUP BY week, member_id"
        )
    op.execute(
        "INSERT INTO contribution_week_counts (week, role, members) "
        "SELECT week, role, count(*) FROM contribution_week_people GROUP BY week, role"
    )
    op.execute(
        "INSERT INTO contribution_day_kinds (day, kind, count) "
        f"SELECT day, kind, sum(count) FROM contribution_daily WHERE {_KEPT} GROUP BY day, kind"
    )
    op.execute(
        "INSERT INTO contribution_unregistered (member_id) "
        "SELECT DISTINCT d.member_id FROM contribution_daily d "
        f"WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = d.member_id) AND d.{_KEPT}"
    )


def downgrade() -> None:
    op.drop_index("ix_members_bots", "members")
    op.drop_table("contribution_unregistered")
    op.drop_table("contribution_day_kinds")
    op.drop_table("contribution_week_counts")
    op.drop_index("ix_contribution_week_people_member", "contribution_week_people")
    op.drop_table("contribution_week_people")
