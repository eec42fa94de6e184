"""chat.update at most once per interval per channel; later edits of the same message replace
earlier queued ones (Slack allows about one message per second per channel)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.actions import Delivery, UpdateMessage

log = logging.getLogger("plein.slack.limiter")

Send = Callable[[UpdateMessage], Awaitable[Delivery]]


@dataclass
class _Lane:
    last: float = float("-inf")
    pending: dict[str, UpdateMessage] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None


class UpdateCoalescer:
    def __init__(
        self,
        send: Send,
        interval: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._send = send
        self.interval = interval
        self._now = monotonic
        self._lanes: dict[str, _Lane] = {}
        self._wake = asyncio.Event()

    async def submit(self, channel: str, action: UpdateMessage) -> Delivery:
        lane = self._lanes.setdefault(channel, _Lane())
        if lane.task is None and not lane.pending and self._now() - lane.last >= self.interval:
            lane.last = self._now()
            return await self._send(action)
        lane.pending[action.ref] = action
        if lane.task is None:
            lane.task = asyncio.create_task(self._drain(lane))
        return Delivery(ref=action.ref, extra={"queued": "true"})

    async def _drain(self, lane: _Lane) -> None:
        try:
            while lane.pending:
                wait = lane.last + self.interval - self._now()
                if wait > 0 and not self._wake.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), wait)
                ref = next(iter(lane.pending))
                action = lane.pending.pop(ref)
                lane.last = self._now()
                await self._send_logged(action)
        finally:
            lane.task = None

    async def _send_logged(self, action: UpdateMessage) -> None:
        delivery = await self._send(action)
        if not delivery.ok:
            log.warning("queued update of %s failed: %s", action.ref, delivery.reason)

    async def flush(self) -> None:
        """On stop: send what is queued now, without waiting for the interval."""
        self._wake.set()
        await self.idle()

    async def idle(self) -> None:
        """Wait until every queued update went out."""
        while any(lane.task is not None for lane in self._lanes.values()):
            tasks = [lane.task for lane in self._lanes.values() if lane.task is not None]
            await asyncio.gather(*tasks, return_exceptions=True)
