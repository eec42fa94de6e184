"""The weekly figures as CSV for managers (`/report export`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import timedelta

from bot.features.report.figures import Figures

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


def to_csv(series: Sequence[Figures]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for f in series:
        consumers, reactors, creators = f.split.shares()
        writer.writerow(
            [
                (f.first_day or f.since.date()).isoformat(),
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
            ]
        )
    return out.getvalue().encode("utf-8")
