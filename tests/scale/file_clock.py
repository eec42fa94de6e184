"""Virtual time shared by several real processes: the moment is in a file the test writes.

The ManualClock rendezvous (bot/clock.py) works inside one process; the chaos test runs three.
Here every process reads "now" from `clock` (written atomically by the test with os.replace), and
the scheduler's loop, each time it goes to sleep, writes the moment it sleeps at to its own
`ack-<pid>` file: the test moves time on once every live process has acknowledged the last
moment (all due work done). Leases and deadlines are measured on this clock, so a dead
process's claim expires when the test moves time past its lease, as it would in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from datetime import datetime
from pathlib import Path

from bot.clock import as_utc

POLL_SECONDS = 0.005
SCHEDULER_TASK = "plein-scheduler"


def write_atomically(path: Path, text: str) -> None:
    part = path.with_name(path.name + f".{os.getpid()}.part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)


def clock_file(directory: Path) -> Path:
    return directory / "clock"


def ack_file(directory: Path, pid: int) -> Path:
    return directory / f"ack-{pid}"


def set_time(directory: Path, moment: datetime) -> None:
    write_atomically(clock_file(directory), as_utc(moment).isoformat())


def acknowledged(directory: Path, pid: int) -> datetime | None:
    """The moment the process's scheduler last went to sleep at (None: not yet)."""
    try:
        return datetime.fromisoformat(ack_file(directory, pid).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


class FileClock:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._acked: datetime | None = None

    def now(self) -> datetime:
        return datetime.fromisoformat(clock_file(self.directory).read_text(encoding="utf-8"))

    async def sleep_until(self, moment: datetime | None, wake: asyncio.Event) -> None:
        task = asyncio.current_task()
        is_scheduler = task is not None and task.get_name() == SCHEDULER_TASK
        while not wake.is_set():
            now = self.now()
            if moment is not None and now >= moment:
                return
            if is_scheduler and self._acked != now:
                write_atomically(ack_file(self.directory, os.getpid()), now.isoformat())
                self._acked = now
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), POLL_SECONDS)
