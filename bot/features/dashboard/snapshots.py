"""Each page's figures are computed at most once per `[dashboard] refresh`, then served as a
snapshot: the figures are aggregates over days and weeks, and at 10M contributions computing
them takes seconds, far over a page's 300 ms. An older snapshot is still served at once while a
fresh one is computed in the background (one computation per page at a time); only the first
visit after a start waits for the figures, and at most `wait` seconds: then the page says the
figures are being computed and reloads itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

log = logging.getLogger("plein.dashboard")


@dataclass(frozen=True)
class Snapshot:
    data: object
    as_of: datetime


class Snapshots:
    def __init__(self, max_age: Callable[[], timedelta]) -> None:
        self.max_age = max_age
        self._latest: dict[str, Snapshot] = {}
        self._computing: dict[str, asyncio.Task[Snapshot]] = {}

    async def get(
        self,
        name: str,
        now: datetime,
        compute: Callable[[datetime], Awaitable[object]],
        wait: float | None = None,
    ) -> Snapshot | None:
        """The page's snapshot; None when there is none yet and computing it takes over `wait`
        seconds (the computation goes on)."""
        latest = self._latest.get(name)
        if latest is not None and now - latest.as_of < self.max_age() and now >= latest.as_of:
            return latest
        task = self._computing.get(name)
        if task is None:
            task = asyncio.ensure_future(self._compute(name, now, compute))
            self._computing[name] = task
            task.add_done_callback(lambda _: self._computing.pop(name, None))
        if latest is not None:
            return latest  # stale while the fresh one is computed
        try:
            return await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            return None

    async def _compute(
        self, name: str, now: datetime, compute: Callable[[datetime], Awaitable[object]]
    ) -> Snapshot:
        snapshot = Snapshot(await compute(now), now)
        self._latest[name] = snapshot
        return snapshot

    async def settled(self) -> None:
        """Wait for the computations under way (tests, and a clean stop)."""
        await asyncio.gather(*self._computing.values(), return_exceptions=True)

    async def stop(self) -> None:
        tasks = list(self._computing.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("dashboard figures failed while stopping")
