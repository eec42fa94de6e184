"""Page figures as snapshots: computed once per refresh, stale served while recomputing, and a
first computation that takes long does not hold the page."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.features.dashboard.snapshots import Snapshots

T0 = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)


class SlowFigures:
    """Figures that are ready when the test says so (a big community's first computation)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.computed: list[datetime] = []

    async def __call__(self, now: datetime) -> object:
        await self.release.wait()
        self.computed.append(now)
        return {"members": len(self.computed)}


async def test_a_slow_first_computation_answers_none_and_goes_on() -> None:
    snapshots = Snapshots(lambda: timedelta(minutes=5))
    figures = SlowFigures()
    assert await snapshots.get("overview", T0, figures, wait=0) is None
    assert await snapshots.get("overview", T0, figures, wait=0) is None  # one computation
    figures.release.set()
    await snapshots.settled()
    snapshot = await snapshots.get("overview", T0 + timedelta(seconds=1), figures, wait=0)
    assert snapshot is not None and snapshot.data == {"members": 1} and snapshot.as_of == T0
    assert figures.computed == [T0]


async def test_stale_figures_are_served_while_fresh_ones_are_computed() -> None:
    snapshots = Snapshots(lambda: timedelta(minutes=5))
    figures = SlowFigures()
    figures.release.set()
    first = await snapshots.get("members", T0, figures)
    assert first is not None and first.data == {"members": 1}
    figures.release.clear()
    later = T0 + timedelta(minutes=6)
    assert await snapshots.get("members", later, figures) == first
    figures.release.set()
    await snapshots.settled()
    fresh = await snapshots.get("members", later, figures)
    assert fresh is not None and fresh.data == {"members": 2} and fresh.as_of == later


async def test_stopping_cancels_a_computation_under_way() -> None:
    snapshots = Snapshots(lambda: timedelta(minutes=5))
    figures = SlowFigures()
    assert await snapshots.get("health", T0, figures, wait=0) is None
    await snapshots.stop()
    assert figures.computed == []


class Counted:
    """Figures that note which page was computed when, ready at once."""

    def __init__(self, log: list[str], name: str) -> None:
        self.log = log
        self.name = name

    async def __call__(self, now: datetime) -> object:
        self.log.append(self.name)
        return {"page": self.name}


async def test_the_warm_up_computes_every_page_in_order_before_anyone_asks() -> None:
    snapshots = Snapshots(lambda: timedelta(minutes=5))
    computed: list[str] = []
    pages = [(name, Counted(computed, name)) for name in ("overview", "members", "health")]
    snapshots.warm_up(pages, lambda: T0)
    await snapshots.settled()
    assert computed == ["overview", "members", "health"]
    for name, figures in pages:  # served from the warm-up: nothing computed again
        snapshot = await snapshots.get(name, T0 + timedelta(minutes=1), figures, wait=0)
        assert snapshot is not None and snapshot.data == {"page": name}
    assert computed == ["overview", "members", "health"]


async def test_a_visit_during_the_warm_up_joins_its_computation() -> None:
    snapshots = Snapshots(lambda: timedelta(minutes=5))
    figures = SlowFigures()
    snapshots.warm_up([("overview", figures)], lambda: T0)
    assert await snapshots.get("overview", T0, figures, wait=0) is None  # "being computed"
    figures.release.set()
    await snapshots.settled()
    assert figures.computed == [T0]  # one computation for both


async def test_stopping_cancels_the_warm_up() -> None:
    snapshots = Snapshots(lambda: timedelta(minutes=5))
    figures = SlowFigures()
    snapshots.warm_up([("overview", figures), ("members", figures)], lambda: T0)
    await snapshots.stop()
    figures.release.set()
    await snapshots.settled()
    assert figures.computed == []


async def test_figures_held_for_over_a_day_are_not_served_while_computing() -> None:
    snapshots = Snapshots(lambda: timedelta(minutes=5))
    figures = SlowFigures()
    figures.release.set()
    assert await snapshots.get("members", T0, figures) is not None
    figures.release.clear()
    assert await snapshots.get("members", T0 + timedelta(days=1), figures, wait=0) is None
    figures.release.set()
    await snapshots.settled()
