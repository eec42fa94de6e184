"""The report's charts, drawn from ChartData: one matplotlib figure, saved as PNG for the chat
(in a worker thread: rendering takes a few hundred milliseconds of CPU) or as SVG for the web
(bot/features/report/svg.py). matplotlib is imported lazily.

Four panels: active members per week with the goal as a line; the participation ladder as
stacked bars; newcomers' retention per join week; the activity heatmap (weekday x hour, local).
Bars, never interpolated areas: a week without data is an empty slot, not a ramp.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.features.report.health_figures import RETENTION_WEEKS, ChartData
from bot.i18n import Translator

COLORS = ("#c9d6df", "#edae49", "#3a7d44", "#00798c", "#d1495b", "#30638e", "#6a4c93")


@dataclass(frozen=True)
class ChartLabels:
    title: str
    active: str
    goal: str
    members: str
    ladder: str
    rungs: list[str]
    cohorts: str
    after: dict[int, str]
    heatmap: str
    weekdays: list[str]
    weeks: list[str]
    cohort_weeks: list[str]
    no_data: str


def chart_labels(t: Translator, data: ChartData, levels: list[str]) -> ChartLabels:
    """Every text on the charts in the community's language (dates through Babel)."""
    monday = date(2024, 1, 1)  # a Monday: weekday names in order
    rungs = max((max(week, default=0) for week in data.ladder), default=0)
    return ChartLabels(
        title=t("report.chart.title"),
        active=t("report.chart.v2.active"),
        goal=t("report.chart.v2.goal"),
        members=t("report.chart.v2.members"),
        ladder=t("report.chart.v2.ladder"),
        rungs=[levels[i] if i < len(levels) else str(i + 1) for i in range(rungs + 1)],
        cohorts=t("report.chart.v2.cohorts"),
        after={k: t("report.chart.v2.after", count=k) for k in RETENTION_WEEKS},
        heatmap=t(
            "report.chart.v2.heatmap",
            weeks=t("report.chart.v2.weeks", count=data.heatmap_weeks),
        ),
        weekdays=[t.weekday(monday + timedelta(days=i))[:2] for i in range(7)],
        weeks=[t.date(week, weekday=False) for week in data.weeks],
        cohort_weeks=[t.date(row.week, weekday=False) for row in data.cohorts],
        no_data=t("report.chart.v2.no_data"),
    )


def build_figure(data: ChartData, labels: ChartLabels) -> Any:
    """The matplotlib Figure (not pyplot: no global state, safe in a worker thread)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(11, 8), dpi=100)
    figure.suptitle(labels.title)
    (active, ladder), (cohorts, heat) = figure.subplots(2, 2)
    x = list(range(len(data.weeks)))

    active.bar(x, data.active, color=COLORS[2], label=labels.active)
    if data.goal_active is not None:
        active.axhline(data.goal_active, color=COLORS[4], linestyle="--", label=labels.goal)
        active.legend(loc="upper left", fontsize="small")
    active.set_title(labels.active, fontsize="medium")
    active.yaxis.set_major_locator(MaxNLocator(integer=True))
    _weeks_axis(active, x, labels.weeks)

    bottom = [0] * len(x)
    for rung, name in enumerate(labels.rungs):
        heights = [week.get(rung, 0) for week in data.ladder]
        if not any(heights):
            continue
        ladder.bar(x, heights, bottom=bottom, label=name, color=COLORS[rung % len(COLORS)])
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ladder.set_title(labels.ladder, fontsize="medium")
    ladder.yaxis.set_major_locator(MaxNLocator(integer=True))
    if any(bottom):
        ladder.legend(loc="upper left", fontsize="small")
    else:
        _no_data(ladder, labels.no_data)
    _weeks_axis(ladder, x, labels.weeks)

    width = 0.8 / len(RETENTION_WEEKS)
    cx = list(range(len(data.cohorts)))
    drawn = False
    for i, after in enumerate(RETENTION_WEEKS):
        shares = [
            100.0 * row.active_after[after] / row.size
            if after in row.active_after and row.size
            else 0.0
            for row in data.cohorts
        ]
        if any(after in row.active_after for row in data.cohorts):
            drawn = True
            cohorts.bar(
                [c + (i - 1) * width for c in cx],
                shares,
                width=width,
                label=labels.after[after],
                color=COLORS[(i + 2) % len(COLORS)],
            )
    cohorts.set_title(labels.cohorts, fontsize="medium")
    cohorts.set_ylim(0, 100)
    cohorts.set_ylabel("%")
    if drawn:
        cohorts.legend(loc="upper right", fontsize="small")
    else:
        _no_data(cohorts, labels.no_data)
    _weeks_axis(cohorts, cx, labels.cohort_weeks)

    image = heat.imshow(data.heatmap, aspect="auto", cmap="Greens", vmin=0)
    heat.set_title(labels.heatmap, fontsize="medium")
    heat.set_yticks(range(7))
    heat.set_yticklabels(labels.weekdays)
    heat.set_xticks(range(0, 24, 3))
    heat.set_xticklabels([f"{h:02d}" for h in range(0, 24, 3)])
    figure.colorbar(image, ax=heat)
    figure.tight_layout()
    return figure


def _weeks_axis(axes: Any, x: list[int], names: list[str]) -> None:
    axes.set_xticks(x)
    axes.set_xticklabels(names, rotation=45, ha="right", fontsize="small")


def _no_data(axes: Any, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, color="grey")


def render(data: ChartData, labels: ChartLabels, fmt: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    buffer = io.BytesIO()
    build_figure(data, labels).savefig(buffer, format=fmt)
    return buffer.getvalue()


def render_png(data: ChartData, labels: ChartLabels) -> bytes:
    return render(data, labels, "png")


async def render_charts(data: ChartData, labels: ChartLabels) -> bytes:
    """The PNG, rendered in a worker thread so the event loop keeps serving members."""
    return await asyncio.to_thread(render_png, data, labels)
