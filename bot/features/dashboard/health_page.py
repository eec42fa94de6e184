"""The Health page's figures: the report's community-health figures (fast answers, connections,
help to newcomers, cohorts, ladder movement) and its chart as SVG in each language.

The chart is the report's own figure (`chart_data` -> `render_svg`, labelled by `chart_labels`),
rendered once per snapshot and language and embedded as a data: image, so the page needs no
script and no inline style.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.features.report.charts import chart_labels
from bot.features.report.figures import Figures, pct
from bot.features.report.health_facts import CohortRow, HelperCount
from bot.features.report.health_figures import RETENTION_WEEKS, ChartData, HealthFigures
from bot.features.report.svg import render_svg_async
from bot.i18n import LANGUAGES, Translator


@dataclass(frozen=True)
class CohortLine:
    row: CohortRow
    shares: dict[int, float | None]
    """Weeks after joining (1, 4, 12) -> share of the cohort active then; absent: not yet."""


@dataclass(frozen=True)
class Health:
    figures: Figures
    month: Figures
    trend: list[Figures]
    rung_names: list[str]
    health: HealthFigures | None = None
    """This week's health figures; None when the health feature is not part of this Plein."""
    month_health: HealthFigures | None = None
    answer_within: timedelta = timedelta(hours=4)
    helpers: list[HelperCount] = field(default_factory=list)
    """Who helped newcomers most, leaving out members who opted out of the spotlight."""
    names: dict[str, str] = field(default_factory=dict)
    """Member id -> name, for the helpers."""
    charts: dict[str, str] = field(default_factory=dict)
    """Language -> the report's chart as a data: URI (image/svg+xml)."""

    def week_labels(self, t: Translator) -> list[str]:
        return [t.date(f.first_day, weekday=False) if f.first_day else "" for f in self.trend]

    def kind_rows(self, figures: Figures, t: Translator) -> list[tuple[str, int]]:
        return [
            (t(f"dashboard.kind.{kind}") if t.has(f"dashboard.kind.{kind}") else kind, count)
            for kind, count in figures.top_kinds
        ]

    def cohort_lines(self) -> list[CohortLine]:
        """Newest join week first, only weeks in which someone joined."""
        rows = self.health.cohorts if self.health is not None else []
        return [
            CohortLine(
                row,
                {
                    k: pct(row.active_after[k], row.size)
                    for k in RETENTION_WEEKS
                    if k in row.active_after
                },
            )
            for row in reversed(rows)
            if row.size
        ]

    def name(self, member_id: str) -> str:
        return self.names.get(member_id, member_id)


async def svg_charts(
    data: ChartData, rung_names: list[str], translators: Callable[[str], Translator]
) -> dict[str, str]:
    charts = {}
    for language in LANGUAGES:
        svg = await render_svg_async(data, chart_labels(translators(language), data, rung_names))
        charts[language] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return charts
