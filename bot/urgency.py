"""Writes a waiting member depends on go first.

An interaction (a slash command, a click) is answered while the member watches; its writes (the
vote, the kudos, the follow-up it queues) should not queue behind the counter batches of the
message stream. The platform adapter runs the interaction's handlers within `urgent_writes()`;
the storage layer asks `writes_are_urgent()` when a write wants SQLite's turn (storage/db.py,
WriteTurns) and then takes an urgent one.

Only the task that entered `urgent_writes()` is urgent, not the tasks it starts: a service task
started lazily during an interaction (the inbox's marker, a batched writer's write behind) lives
on and is no one's answer. Work a member does wait for in another task passes it on itself
(`urgent_writes(urgent)` in that task).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_URGENT: ContextVar[asyncio.Task[Any] | None] = ContextVar("plein_urgent_writes", default=None)


def writes_are_urgent() -> bool:
    task = _URGENT.get()
    return task is not None and task is asyncio.current_task()


@contextmanager
def urgent_writes(urgent: bool = True) -> Iterator[None]:
    """Within the block, this task's writes take urgent turns (`urgent=False`: ordinary)."""
    token = _URGENT.set(asyncio.current_task() if urgent else None)
    try:
        yield
    finally:
        _URGENT.reset(token)
