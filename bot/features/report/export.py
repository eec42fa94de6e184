"""The weekly figures as CSV for managers (`/report export`, `plein report --format csv`):
the period's columns, then the health columns (bot/features/report/health_columns.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta

from bot.features.report.figures import Figures
from bot.features.report.health_columns import HEALTH_COLUMNS, health_cells
from bot.features.report.health_figures import HealthFigures

COLUMNS = (
    "week_start",
    "week_end",
    "members",
    "new_members",
    "welcome_completion_pct",
    "rules_acceptance_pct",
    "newcomer_activation_pct",
    "active_members",
    "active_pct",
    "creators",
    "reactors",
    "consumers",
    "creators_pct",
    "reactors_pct",
    "consumers_pct",
    "promotions",
    "polls_opened",
    "poll_voters",
    "prompts_posted",
    "prompts_answered",
    "prompt_answers",
    "kudos_given",
)


def _cell(value: float | int | None) -> str:
    return "" if value is None else str(value)


def to_csv(
    series: Sequence[Figures], health: Sequence[HealthFigures | None] | None = None
) -> bytes:
    """`health`: each week's health figures, in the order of `series` (None: empty cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COLUMNS, *HEALTH_COLUMNS))
    weekly_health = list(health) if health is not None else [None] * len(series)
    for f, h in zip(series, weekly_health, strict=True):
        week = f.first_day or f.since.date()
        consumers, reactors, creators = f.split.shares()
        writer.writerow(
            [
                week.isoformat(),
                # exclusive, like the period: the day after the week's last day
                ((f.last_day + timedelta(days=1)) if f.last_day else f.until.date()).isoformat(),
                f.members_total,
                f.new_members,
                _cell(f.welcome_completion),
                _cell(f.rules_acceptance),
                _cell(f.newcomer_activation),
                f.active_members,
                _cell(f.active_share),
                f.split.creators,
                f.split.reactors,
                f.split.consumers,
                creators,
                reactors,
                consumers,
                f.promotions,
                f.polls.opened,
                f.polls.voters,
                f.calendar.posted,
                f.calendar.answered,
                f.prompt_answers,
                f.kudos_given,
                *health_cells(h, week),
            ]
        )
    return out.getvalue().encode("utf-8")
