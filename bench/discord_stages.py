"""Where an interaction's time goes in bench/discord_ingest.py --stages (the Plein side only).

Timestamps per interaction (time.perf_counter(), the system's monotonic clock, which the parent
shares): `parsed` when discord.py parses the INTERACTION_CREATE frame (so the wait on the
gateway socket behind the message frames ends there), `client` when the client's on_interaction
starts, `handler` when the core's dispatch starts; the write turns the interaction's own tasks
waited for (SQLite's one writer per process, storage/db.py) with how long each wait and each
hold took; and every write turn's hold by anything else (the batched writers), so the wait can
be set against what was ahead. Installed by patching classes before the client is built: bench
only, nothing of it runs in Plein.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import sys
import time
from pathlib import Path
from typing import Any

_CURRENT: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "plein_bench_stage", default=None
)


def _caller() -> str:
    """The first of Plein's own functions (outside storage/db.py) that asked for the turn."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if ("/bot/" in name or "/storage/" in name) and not name.endswith(
            ("storage/db.py", "storage/retry.py")
        ):
            return f"{Path(name).stem}.{frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


class Stages:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self._tasks: dict[int, set[Any]] = {}
        """The interaction's own tasks (a task they start, a write behind, is not theirs)."""
        self.other_holds: list[tuple[float, str]] = []
        self.loop_lag: list[float] = []
        """Seconds each write turn was held by anything but an interaction."""

    def record(self, ident: str) -> dict[str, Any]:
        return self.records.setdefault(ident, {"waits": [], "holds": []})

    def install(self) -> None:
        from discord.state import ConnectionState

        from adapters.discord.client import PleinClient
        from storage.db import WriteTurns

        stages = self
        parse = ConnectionState.parse_interaction_create

        def parse_interaction_create(state: Any, data: Any) -> None:
            record = stages.record(str(data["id"]))
            record["parsed"] = time.perf_counter()
            record["kind"] = str((data.get("data") or {}).get("name") or "click")
            parse(state, data)

        ConnectionState.parse_interaction_create = parse_interaction_create  # type: ignore[method-assign]

        on_interaction = PleinClient.on_interaction

        async def on_interaction_timed(client: Any, interaction: Any) -> None:
            record = stages.record(str(interaction.id))
            record["client"] = time.perf_counter()
            stages._tasks[id(record)] = {asyncio.current_task()}
            _CURRENT.set(record)
            await on_interaction(client, interaction)

        PleinClient.on_interaction = on_interaction_timed  # type: ignore[method-assign]

        dispatch = PleinClient._dispatch

        async def dispatch_timed(client: Any, event: Any) -> None:
            record = _CURRENT.get()
            if record is not None and "handler" not in record:
                record["handler"] = time.perf_counter()
                stages._tasks[id(record)].add(asyncio.current_task())
            await dispatch(client, event)

        PleinClient._dispatch = dispatch_timed  # type: ignore[method-assign]

        acquire, release = WriteTurns.acquire, WriteTurns.release
        held: dict[int, tuple[float, dict[str, Any] | None]] = {}

        async def acquire_timed(turns: Any, **options: Any) -> None:
            record = _CURRENT.get()
            if record is not None and asyncio.current_task() not in stages._tasks[id(record)]:
                record = None
            queues = (turns._urgent, getattr(turns, "_interactive", ()), turns._ordinary)
            ahead = sum(len(queue) for queue in queues) + int(turns._held)
            began = time.perf_counter()
            await acquire(turns, **options)
            now = time.perf_counter()
            if record is not None:
                record["waits"].append(now - began)
                record.setdefault("ahead", []).append(ahead)
            held[id(turns)] = (now, record, _caller())

        def release_timed(turns: Any) -> None:
            began, record, caller = held.pop(id(turns), (time.perf_counter(), None, "?"))
            took = time.perf_counter() - began
            if record is not None:
                record["holds"].append(took)
            else:
                stages.other_holds.append((took, caller))
            release(turns)

        WriteTurns.acquire = acquire_timed  # type: ignore[method-assign]
        WriteTurns.release = release_timed  # type: ignore[method-assign]

    async def watch_loop(self) -> None:
        """How late the event loop runs a 10 ms timer: the wait for a turn of the loop."""
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.01)
            self.loop_lag.append(time.perf_counter() - began - 0.01)

    def write(self, path: Path) -> None:
        path.write_text(
            json.dumps(
                {
                    "interactions": self.records,
                    "other_holds": self.other_holds,
                    "loop_lag": self.loop_lag,
                }
            ),
            encoding="utf-8",
        )
