"""One worker for the message stream: no task per message.

Messages do not get a task each (discord.py's default): the lean parser (lean_messages.py) turns
a MESSAGE_CREATE into a small Plein event and queues it here, and one worker dispatches the queue
in slices of SLICE seconds, yielding to the event loop in between, so an interaction (its own
task) gets a turn of the loop at least every SLICE seconds however long the queue.

The queue is bounded: above HIGH_WATER queued events the gateway socket is not read (`hold_back`
makes the connection's frame handler wait) until the worker is down to LOW_WATER; aiohttp then
stops reading the socket and TCP holds the rest of the stream back at Discord. Memory stays bounded
whatever the input rate (each queued event holds its text until it is dispatched); the price is
that an interaction sent while the gateway is held waits its turn on the socket.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from bot.events import Event

log = logging.getLogger("plein.discord.messages")

SLICE = 0.002
"""Seconds of message work (or of reading frames aiohttp has buffered) between two turns of the
event loop. Shorter slices (0.5 ms, always or only while an interaction was being handled) were
tried: the event loop's lag fell, but the interactions' latency did not measurably, and the
stream lost about a third of its speed while interactions came in (bench/discord_ingest.py
--interactions --stages, 2026-12-02)."""
HIGH_WATER = 5_000
"""Queued events above which the gateway is no longer read."""
LOW_WATER = 4_500
"""Queued events at which reading resumes. Close to HIGH_WATER: the socket is held about as much
of the time either way (while the stream outruns the worker), but in shorter spells, and an
interaction frame behind the held socket waits out one spell."""


class MessageWorker:
    def __init__(self, dispatch: Callable[[Event], Awaitable[None]]) -> None:
        self._dispatch = dispatch
        self._queue: deque[Event] = deque()
        self._ready = asyncio.Event()
        self.accepting = asyncio.Event()
        """Set while the queue has room: the gateway's frames are read."""
        self.accepting.set()
        self.high_water, self.low_water = HIGH_WATER, LOW_WATER
        self.held_back = 0
        """How many times the gateway was held back (a full queue)."""
        self.peak = 0
        """The longest the queue has been."""

    def release(self) -> None:
        """Stop holding the gateway back (closing: a waiting frame handler must not hang)."""
        self.accepting.set()

    @property
    def queued(self) -> int:
        return len(self._queue)

    def take(self, event: Event) -> None:
        self._queue.append(event)
        self._ready.set()
        queued = len(self._queue)
        if queued > self.peak:
            self.peak = queued
        if queued >= self.high_water and self.accepting.is_set():
            self.accepting.clear()
            self.held_back += 1

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._ready.wait()
            await self.work_off(loop.time() + SLICE)
            if not self._queue:
                self._ready.clear()
            await asyncio.sleep(0)

    async def work_off(self, until: float) -> None:
        """Dispatch queued events until the loop time `until` (inf: all of them)."""
        queue = self._queue
        loop = asyncio.get_running_loop()
        while queue and loop.time() < until:
            event = queue.popleft()
            if len(queue) <= self.low_water and not self.accepting.is_set():
                self.accepting.set()
            try:
                await self._dispatch(event)
            except Exception:
                log.exception("dispatching a message failed")


def hold_back(socket: Any, worker: MessageWorker, *, turn: float = SLICE) -> None:
    """Make the gateway socket wait before reading each frame while the worker's queue is full.
    At the socket, not at discord.py's frame handler, so every connection is held: the plain
    client's, each shard's of the sharded client, and every reconnect's.

    Reading also yields to the event loop after `turn` seconds of frames: aiohttp hands over
    frames it has buffered without a turn of the loop, so a burst (the socket just released, a
    backlog in the kernel's buffer) held the loop for up to 100 ms, and every interaction's
    task and write turn with it."""
    receive = socket.receive
    loop = asyncio.get_running_loop()
    turn_ends = loop.time() + turn

    async def held_receive(*args: Any, **kwargs: Any) -> Any:
        nonlocal turn_ends
        if not worker.accepting.is_set():
            await worker.accepting.wait()
            turn_ends = loop.time() + turn
        elif loop.time() >= turn_ends:
            await asyncio.sleep(0)
            turn_ends = loop.time() + turn
        return await receive(*args, **kwargs)

    socket.receive = held_receive
