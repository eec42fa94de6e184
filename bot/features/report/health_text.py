"""The report's health lines, in the community's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from babel.units import format_unit

from bot.features.report.figures import pct
from bot.features.report.health_figures import HealthFigures
from bot.features.report.render import percent
from bot.i18n import Translator


def duration(t: Translator, value: timedelta | None) -> str:
    """'45 minuten', '1,5 uur' / '1.5 hours', '2 dagen'; '-' without a value. Exact to a tenth
    of the unit: a median of 90 minutes is never shown as "2 hours"."""
    if value is None:
        return "-"
    minutes = value.total_seconds() / 60
    if minutes < 60:
        return format_unit(round(minutes), "duration-minute", locale=t.locale)
    hours = minutes / 60
    if hours < 48:
        return format_unit(round(hours, 1), "duration-hour", locale=t.locale)
    return format_unit(round(hours / 24, 1), "duration-day", locale=t.locale)


def health_lines(
    t: Translator,
    health: HealthFigures,
    *,
    answer_within: timedelta,
    mention: Callable[[str], str],
) -> list[str]:
    limit = duration(t, answer_within)
    asks = health.all_asks
    lines = []
    if asks.due:
        median = (
            duration(t, timedelta(minutes=asks.median_minutes))
            if asks.median_minutes is not None
            else "-"
        )
        lines.append(
            t(
                "report.health.answers",
                within=asks.answered_within,
                due=asks.due,
                limit=limit,
                share=percent(asks.answered_share),
                median=median,
            )
        )
        if asks.waiting:
            lines.append(t("report.health.waiting", count=asks.waiting, limit=limit))
    else:
        lines.append(t("report.health.no_asks"))
    lines.append(
        t(
            "report.health.connections",
            two_way=t("report.health.members", count=health.two_way_members),
            connected=health.newcomers_connected,
            newcomers=health.newcomers,
            share=percent(health.newcomer_connected_share),
        )
    )
    if health.helpers:
        helpers = ", ".join(
            t("report.health.helper", member=mention(h.member_id), count=h.newcomers)
            for h in health.helpers
        )
        lines.append(t("report.health.helpers", helpers=helpers))
    if health.cohorts:
        lines.append(
            t(
                "report.health.retention",
                week1=percent(_latest(health, 1)),
                week4=percent(_latest(health, 4)),
                week12=percent(_latest(health, 12)),
            )
        )
    lines.append(t("report.health.moves", up=health.promotions, down=health.demotions))
    return lines


def _latest(health: HealthFigures, after: int) -> float | None:
    """Of all newcomers in the cohorts shown for whom that week has come: the share active in
    their `after`-th week (one small cohort alone would swing from 0% to 100%)."""
    judged = [row for row in health.cohorts if after in row.active_after and row.size]
    if not judged:
        return None
    active = sum(row.active_after[after] for row in judged)
    return pct(active, sum(row.size for row in judged))
