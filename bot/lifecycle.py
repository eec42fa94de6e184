"""Start/stop hooks so services can resume work once adapters are ready and flush on shutdown."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("plein.lifecycle")

Hook = Callable[[], Awaitable[None]]

SERVICE_TASK_PREFIX = "plein-service:"
"""Long-lived loops (the inbox's writers) end when their owner closes, not when work drains."""


class Lifecycle:
    def __init__(self) -> None:
        self._ready: list[Hook] = []
        self._flush: list[Hook] = []
        self._stop: list[Hook] = []

    def on_ready(self, hook: Hook) -> None:
        """Runs once, after the adapter is connected: catch up on missed work here."""
        self._ready.append(hook)

    def on_flush(self, hook: Hook) -> None:
        """Write out buffered work (batched writers, coalesced edits)."""
        self._flush.append(hook)

    def on_stop(self, hook: Hook) -> None:
        self._stop.append(hook)

    async def ready(self) -> None:
        await self._run(self._ready, "ready")

    async def flush(self) -> None:
        await self._run(self._flush, "flush")

    async def stop(self) -> None:
        await self._run(self._flush, "flush")
        await self._run(self._stop, "stop")

    @staticmethod
    async def _run(hooks: list[Hook], phase: str) -> None:
        for hook in hooks:
            try:
                await hook()
            except Exception:
                log.exception("%s hook %s failed", phase, getattr(hook, "__qualname__", hook))
