"""Knowing whether a Plein is using a SQLite database: a shared lock beside the file.

Every running Plein holds a shared `flock` on `<database>.lock` for as long as it runs; the kernel
drops it when the process ends, however it ends. `plein restore` asks for the lock exclusively and
refuses when it cannot have it.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InUse:
    def __init__(self, database: Path, fd: int) -> None:
        self.database = database
        self._fd: int | None = fd

    @classmethod
    def hold(cls, database: Path) -> InUse:
        """Mark the database as used by this process (several Pleins may share it)."""
        fd = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_SH)
        return cls(database, fd)

    @classmethod
    def take_alone(cls, database: Path) -> InUse | None:
        """The lock for this process alone, or None while a Plein uses the database."""
        fd = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return cls(database, fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def scheduler_lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".scheduler.lock")


class SecondScheduler(RuntimeError):
    """Another Plein already runs the scheduler on this SQLite file."""


class SchedulerLock:
    """One scheduler per SQLite file: an exclusive `flock` on `<database>.scheduler.lock`.

    SQLite has no row locks to share due work with (no SKIP LOCKED, one writer at a time), and
    a second loop would only race the first on every claim; so it is refused at start, in words.
    The kernel drops the lock when the process ends, however it ends (SIGKILL included).
    """

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @classmethod
    def take(cls, database: Path) -> SchedulerLock:
        fd = os.open(scheduler_lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SecondScheduler(
                f"another Plein already runs the scheduler on the SQLite database {database}; "
                "a second one is refused. Run several processes on PostgreSQL "
                '([storage] url = "postgresql://..."), or start this one with '
                "`plein run --role adapter` (events and commands only, no scheduled work)"
            ) from None
        return cls(fd)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
