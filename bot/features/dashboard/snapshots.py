"""Each page's figures are computed at most once per `[dashboard] refresh`, then served as a
snapshot: the figures are aggregates over days and weeks, and at 10M contributions computing
them takes seconds, far over a page's 300 ms. An older snapshot is still served at once while a
fresh one is computed in the background (one computation per page at a time).

Snapshots are also kept in the database (stored.py): after a restart the last one is served at
once while the next is computed, and with several processes on one database the one that claims
the page's computation (a lease, bot/leases.py) computes it and the others serve what it stored.
Only a Plein that never computed a page waits for it, and at most `wait` seconds: then the page
says the figures are being computed and reloads itself. So that this first wait is short (or
none), `warm_up` computes every page's figures in the background as soon as the dashboard is
served, one page after another: the first visit finds them ready, or under way.

Privacy: every snapshot carries the privacy mark it was computed under (spotlight opt-outs and
forgotten members); one whose mark is no longer current is never served, in memory or stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.features.dashboard.snapshot import SERVED_AT_MOST, Snapshot
from bot.leases import Leases

if TYPE_CHECKING:
    from bot.features.dashboard.stored import StoredPages

__all__ = ["CLAIM_KIND", "Snapshot", "Snapshots"]

log = logging.getLogger("plein.dashboard")

CLAIM_KIND = "dashboard.figures"
"""The leased claim on computing a page's figures for one refresh period (bot/leases.py)."""

Compute = Callable[[datetime], Awaitable[object]]


class Snapshots:
    def __init__(
        self,
        max_age: Callable[[], timedelta],
        stored: StoredPages | None = None,
        leases: Leases | None = None,
    ) -> None:
        self.max_age = max_age
        self.stored = stored
        self.leases = leases
        self._latest: dict[str, Snapshot] = {}
        self._computing: dict[tuple[str, str], asyncio.Task[Snapshot | None]] = {}
        self._warming: asyncio.Task[None] | None = None

    def fresh(self, snapshot: Snapshot, now: datetime) -> bool:
        return timedelta(0) <= now - snapshot.as_of < self.max_age()

    async def get(
        self, name: str, now: datetime, compute: Compute, wait: float | None = None
    ) -> Snapshot | None:
        """The page's snapshot; None when there is none yet and computing it takes over `wait`
        seconds (the computation goes on)."""
        mark = await self.stored.mark() if self.stored is not None else ""
        latest = self._latest.get(name)
        if latest is not None and (latest.mark != mark or now - latest.as_of >= SERVED_AT_MOST):
            del self._latest[name]  # someone opted out or was forgotten since, or too old
            latest = None
        if self.stored is not None and (latest is None or not self.fresh(latest, now)):
            # after a restart, or another process's fresher figures
            stored = await self.stored.load(name, mark, now, latest.as_of if latest else None)
            if stored is not None:
                latest = self._keep(name, stored)
        if latest is not None and self.fresh(latest, now):
            return latest
        task = self._computing.get((name, mark))
        if task is None:
            task = asyncio.ensure_future(self._compute(name, now, compute, mark))
            self._computing[(name, mark)] = task
            task.add_done_callback(lambda _: self._computing.pop((name, mark), None))
        if latest is not None:
            return latest  # stale while the fresh one is computed
        try:
            return await asyncio.wait_for(asyncio.shield(task), wait)
        except TimeoutError:
            return None

    async def _compute(
        self, name: str, now: datetime, compute: Compute, mark: str
    ) -> Snapshot | None:
        if self.stored is None or self.leases is None:
            return self._keep(name, Snapshot(await compute(now), now, mark))
        period = int(now.timestamp() // max(self.max_age().total_seconds(), 1))
        lease = await self.leases.claim(CLAIM_KIND, f"{name}|{mark[:16]}|{period}", now)
        if lease is None:  # another process computes it (or did): serve what it stored
            stored = await self.stored.load(name, mark, now)
            return self._keep(name, stored) if stored is not None else None
        try:
            figures = await compute(now)
        except Exception:
            await self.leases.release(lease, now)  # the next visit (any process's) tries again
            raise
        snapshot = self._keep(name, Snapshot(figures, now, mark))
        await self.stored.save(name, snapshot)
        await self.leases.finish(lease, now)
        return snapshot

    def warm_up(self, pages: Sequence[tuple[str, Compute]], now: Callable[[], datetime]) -> None:
        """Compute `pages` in the background, in that order, unless fresh ones are held or
        stored (a stale stored one is served and refreshed): a visit meanwhile joins the
        computation under way, or starts its own page's."""
        if self._warming is None or self._warming.done():
            self._warming = asyncio.ensure_future(self._warm(pages, now))

    async def _warm(
        self, pages: Sequence[tuple[str, Compute]], now: Callable[[], datetime]
    ) -> None:
        for name, compute in pages:
            try:
                await self.get(name, now(), compute, wait=None)
                under_way = [task for (page, _), task in self._computing.items() if page == name]
                await asyncio.gather(*under_way)  # a stale one was served: its refresh
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("dashboard: computing the %s figures failed", name)

    def _keep(self, name: str, snapshot: Snapshot) -> Snapshot:
        latest = self._latest.get(name)
        if latest is None or latest.as_of <= snapshot.as_of:
            self._latest[name] = snapshot
        return snapshot

    def forget(self) -> None:
        """Drop every snapshot held in memory (a member was forgotten)."""
        self._latest.clear()

    async def settled(self) -> None:
        """Wait for the computations under way (tests, and a clean stop)."""
        if self._warming is not None:
            await asyncio.gather(self._warming, return_exceptions=True)
        await asyncio.gather(*self._computing.values(), return_exceptions=True)

    async def stop(self) -> None:
        tasks = [*([self._warming] if self._warming is not None else []), *self._computing.values()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:
                log.exception("dashboard figures failed while stopping")
