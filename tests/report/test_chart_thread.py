"""The chart renders in a worker thread: the event loop keeps running while matplotlib works."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import overload

from bot.features.report.chart import render_chart
from tests.report.test_chart import LABELS, series

# Only a guard against a hang if rendering ever blocks the loop again; never reached when it works.
DEADLOCK_GUARD_SECONDS = 30


class LabelsAfterLoopTurn(Sequence[str]):
    """Week labels that the renderer can only read once a coroutine on the event loop has run.

    If the chart were rendered on the loop's own thread, that coroutine could not run while it
    waits here, and the guard timeout would be hit.
    """

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        self.loop_ran = threading.Event()
        self.read_on: set[int] = set()
        self.waited_in_vain = False

    def _wait(self) -> None:
        self.read_on.add(threading.get_ident())
        if not self.loop_ran.wait(DEADLOCK_GUARD_SECONDS):
            self.waited_in_vain = True

    def __len__(self) -> int:
        self._wait()
        return len(self.labels)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        self._wait()
        return self.labels[index]


async def test_the_loop_runs_other_work_while_a_chart_renders() -> None:
    labels = LabelsAfterLoopTurn([f"w{i}" for i in range(12)])

    async def another_member_is_served() -> None:
        labels.loop_ran.set()

    rendering = asyncio.create_task(render_chart(series(), LABELS, labels))
    other = asyncio.create_task(another_member_is_served())
    png = await rendering
    await other

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert not labels.waited_in_vain
    assert labels.read_on and threading.get_ident() not in labels.read_on
