"""The report's charts as SVG, for the web dashboard: the same figure as the PNG, from the same
ChartData (bot/features/report/health_figures.py:chart_data) and labels."""

from __future__ import annotations

import asyncio

from bot.features.report.charts import ChartLabels, render
from bot.features.report.health_figures import ChartData


def render_svg(data: ChartData, labels: ChartLabels) -> bytes:
    """SVG (UTF-8 XML) that scales with the page. Its text stays text (not glyph outlines): a
    third of the size, readable by screen readers and by the tests, in the browser's font."""
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return render(data, labels, "svg")


async def render_svg_async(data: ChartData, labels: ChartLabels) -> bytes:
    return await asyncio.to_thread(render_svg, data, labels)
