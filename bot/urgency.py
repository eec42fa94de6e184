"""Writes a waiting member depends on go first.

An interaction (a slash command, a click) is answered while the member watches; its writes (the
vote, the kudos, the follow-up it queues) should not queue behind the counter batches of the
message stream. The platform adapter runs the interaction's handlers within
`interactive_writes()`; the storage layer asks `writes_are_interactive()` when a write wants
SQLite's turn (storage/db.py, WriteTurns) and then takes an interactive one: after the urgent
turns (the inbox's commit an ack waits for), before the ordinary writers.

Only the task that entered `interactive_writes()` is interactive, not the tasks it starts: a
service task started lazily during an interaction (the inbox's marker, a batched writer's write
behind) lives on and is no one's answer. Work a member does wait for in another task passes it
on itself (`interactive_writes()` in that task).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_INTERACTIVE: ContextVar[asyncio.Task[Any] | None] = ContextVar(
    "plein_interactive_writes", default=None
)


def writes_are_interactive() -> bool:
    task = _INTERACTIVE.get()
    return task is not None and task is asyncio.current_task()


@contextmanager
def interactive_writes(interactive: bool = True) -> Iterator[None]:
    """Within the block, this task's writes take interactive turns (`interactive=False`:
    ordinary)."""
    token = _INTERACTIVE.set(asyncio.current_task() if interactive else None)
    try:
        yield
    finally:
        _INTERACTIVE.reset(token)
