"""The report v2 charts: a valid PNG and SVG from the same ChartData, rendered off the loop."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Sequence
from datetime import date, timedelta
from typing import overload

from bot.features.report.charts import ChartLabels, chart_labels, render_charts, render_png
from bot.features.report.health_facts import CohortRow
from bot.features.report.health_figures import ChartData
from bot.features.report.svg import render_svg
from bot.i18n import Translator

DEADLOCK_GUARD_SECONDS = 30
FIRST = date(2026, 3, 2)


def data(weeks: int = 6) -> ChartData:
    mondays = [FIRST + timedelta(weeks=i) for i in range(weeks)]
    heat = [[0.0] * 24 for _ in range(7)]
    heat[0][10], heat[3][20] = 4.5, 2.0
    return ChartData(
        weeks=mondays,
        members=[20 + i for i in range(weeks)],
        active=[5 + i for i in range(weeks)],
        goal_active=8.0,
        ladder=[{0: 15, 1: 4 + i, 2: 1} for i in range(weeks)],
        cohorts=[
            CohortRow(FIRST, 4, {1: 3, 4: 2}),
            CohortRow(FIRST + timedelta(weeks=1), 2, {1: 1}),
        ],
        heatmap=heat,
        heatmap_weeks=4,
    )


def labels(chart: ChartData) -> ChartLabels:
    return chart_labels(Translator("nl"), chart, ["Informeren", "Raadplegen", "Betrekken"])


def test_png_and_svg_of_the_same_figures() -> None:
    chart = data()
    text = labels(chart)
    assert text.weeks[0] == "2 mrt" and text.weekdays[0] == "ma"  # Babel, in Dutch
    png = render_png(chart, text)
    from matplotlib.image import imread

    assert imread(io.BytesIO(png), format="png").shape[:2] == (800, 1100)
    svg = render_svg(chart, text)
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg


def test_a_community_without_data_still_renders() -> None:
    chart = ChartData([FIRST], [0], [0], None, [{0: 0}], [], [[0.0] * 24 for _ in range(7)], 4)
    assert render_png(chart, labels(chart))[:8] == b"\x89PNG\r\n\x1a\n"


class LabelsAfterLoopTurn(Sequence[str]):
    """Week labels the renderer can read only once a coroutine on the event loop has run: if the
    chart were rendered on the loop's own thread, the guard timeout would be hit."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.loop_ran = threading.Event()
        self.read_on: set[int] = set()
        self.waited_in_vain = False

    def _wait(self) -> None:
        self.read_on.add(threading.get_ident())
        if not self.loop_ran.wait(DEADLOCK_GUARD_SECONDS):
            self.waited_in_vain = True

    def __len__(self) -> int:
        self._wait()
        return len(self.names)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        self._wait()
        return self.names[index]


async def test_the_loop_runs_other_work_while_the_charts_render() -> None:
    chart = data()
    base = labels(chart)
    weeks = LabelsAfterLoopTurn(base.weeks)
    slow = ChartLabels(**{**base.__dict__, "weeks": weeks})

    async def another_member_is_served() -> None:
        weeks.loop_ran.set()

    rendering = asyncio.create_task(render_charts(chart, slow))
    other = asyncio.create_task(another_member_is_served())
    png = await rendering
    await other
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert not weeks.waited_in_vain
    assert weeks.read_on and threading.get_ident() not in weeks.read_on
