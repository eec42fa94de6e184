"""Time as a dependency: every rule that depends on 'now' asks a Clock, every wait sleeps on it.

This is the only module that reads the wall clock (tests/core/test_no_wall_clock.py checks).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""

    async def sleep_until(self, moment: datetime | None, wake: asyncio.Event) -> None:
        """Return at `moment` (None: never by itself) or as soon as `wake` is set."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime | None, wake: asyncio.Event) -> None:
        timeout = None if moment is None else max(0.0, (moment - self.now()).total_seconds())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout)


@dataclass(eq=False)
class _Sleeper:
    moment: datetime | None
    wake: asyncio.Event
    alarm: asyncio.Future[None] = field(repr=False)

    @property
    def waking(self) -> bool:
        return self.wake.is_set() or self.alarm.done()


class ManualClock:
    """Virtual time for scripted console runs and tests: it only moves when told to.

    `advance_to` is a rendezvous with the tasks that joined the clock (the scheduler's loop): it
    waits until each of them sleeps again (or has finished), moves the clock to the earliest
    wake-up moment on the way, lets that sleeper run until it sleeps again, and so on, so every
    piece of work runs at its own moment, in order.
    """

    def __init__(self, start: datetime) -> None:
        self._now = as_utc(start)
        self._participants: set[asyncio.Task[None]] = set()
        self._sleepers: dict[asyncio.Task[object], _Sleeper] = {}
        self._changed: asyncio.Future[None] | None = None

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` without stopping on the way; sleepers due by then wake at the next
        `advance_to` (late, as after a suspended laptop)."""
        moment = as_utc(moment)
        if moment < self._now:
            raise ValueError("a manual clock never runs backwards")
        self._now = moment

    def join(self, task: asyncio.Task[None]) -> None:
        """`advance_to` waits for this task to sleep (or finish) before it moves the clock."""
        self._participants.add(task)
        task.add_done_callback(self._leave)

    async def sleep_until(self, moment: datetime | None, wake: asyncio.Event) -> None:
        if wake.is_set():
            return
        task = asyncio.current_task()
        assert task is not None, "sleep_until runs inside a task"
        loop = asyncio.get_running_loop()
        sleeper = _Sleeper(moment and as_utc(moment), wake, loop.create_future())
        woken = asyncio.ensure_future(wake.wait())
        self._sleepers[task] = sleeper
        self._notify()
        try:
            either: set[asyncio.Future[Any]] = {sleeper.alarm, woken}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            sleeper.alarm.cancel()
            del self._sleepers[task]
            self._notify()

    async def advance_to(self, target: datetime) -> None:
        """Move to `target`, waking each sleeper at its own moment on the way."""
        target = as_utc(target)
        while True:
            await self.settle()
            due = [
                (s.moment, n, s)
                for n, s in enumerate(self._sleepers.values())
                # A sleeper already woken but not yet run (it is no participant that settle()
                # waits for) is not due again: its alarm is set once.
                if s.moment is not None and s.moment <= target and not s.waking
            ]
            if not due:
                break
            moment, _, first = min(due, key=lambda item: item[:2])
            self._now = max(self._now, moment)
            first.alarm.set_result(None)
        if target > self._now:
            self._now = target

    async def settle(self) -> None:
        """Wait until every participant sleeps (not about to wake) or has finished."""
        while not self._settled():
            if self._changed is None or self._changed.done():
                self._changed = asyncio.get_running_loop().create_future()
            await asyncio.shield(self._changed)  # shared by every caller that waits

    def next_wake(self) -> datetime | None:
        """The earliest moment a sleeper asked to be woken at (None: nobody has one)."""
        moments = [s.moment for s in self._sleepers.values() if s.moment is not None]
        return min(moments, default=None)

    def _settled(self) -> bool:
        for task in self._participants:
            sleeper = self._sleepers.get(task)
            if sleeper is None or sleeper.waking:
                return False
        return True

    def _leave(self, task: asyncio.Task[None]) -> None:
        self._participants.discard(task)
        self._notify()

    def _notify(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return moment.astimezone(UTC)
