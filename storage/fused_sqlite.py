"""aiosqlite with one thread round trip per statement instead of three or four.

aiosqlite runs every call on the connection's own thread and hands the result back to the event
loop; SQLAlchemy's adapter makes a statement four such calls (open a cursor, execute, fetch all,
close the cursor). Each hand-over costs a queue put that wakes the thread (the thread takes the GIL)
and a turn of the event loop to pick up the result, so under a busy loop a `/me` or a vote of a
dozen statements waited for some forty turns (profile: the queue put alone was a fifth of an
interaction's CPU). Here a cursor is opened without the thread, and `execute` runs the statement,
fetches its rows and closes the sqlite3 cursor in one call; the rows wait in memory for SQLAlchemy
to fetch them (it fetches everything at once anyway: it has no server-side cursors on SQLite).

Hooked in by SQLAlchemy's `do_connect` event (storage/db.py), so the dialect, its connect
arguments and the pool are unchanged.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

_Outcome = tuple[Any, int, int | None, list[Any]]


def _run(conn: sqlite3.Connection, sql: str, parameters: Any, *, many: bool) -> _Outcome:
    """On the connection's thread: the statement, its rows and its counts, in one call."""
    cursor = conn.executemany(sql, parameters) if many else conn.execute(sql, parameters)
    try:
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class FusedCursor:
    """The part of aiosqlite's cursor SQLAlchemy uses, with the rows fetched by `execute`."""

    def __init__(self, connection: FusedConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1
        self._rows: deque[Any] = deque()

    async def __aenter__(self) -> FusedCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = None) -> FusedCursor:
        await self._run(sql, () if parameters is None else parameters, many=False)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> FusedCursor:
        await self._run(sql, parameters, many=True)
        return self

    async def _run(self, sql: str, parameters: Any, *, many: bool) -> None:
        outcome: _Outcome = await self._connection._execute(
            _run, self._connection._conn, sql, parameters, many=many
        )
        self.description, self.rowcount, self.lastrowid, rows = outcome
        self._rows = deque(rows)

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self.arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(count, len(self._rows)))]

    async def fetchall(self) -> Sequence[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()


class _Opened:
    """What `cursor()` returns: awaited or entered, a cursor at once (no thread round trip)."""

    def __init__(self, cursor: FusedCursor) -> None:
        self._cursor = cursor

    def __await__(self) -> Any:
        return self.__aenter__().__await__()

    async def __aenter__(self) -> FusedCursor:
        return self._cursor

    async def __aexit__(self, *_: object) -> None:
        await self._cursor.close()


class FusedConnection(aiosqlite.Connection):
    def cursor(self) -> Any:  # aiosqlite's is an awaitable context manager too
        return _Opened(FusedCursor(self))


def connect(database: str, **kwargs: Any) -> FusedConnection:
    """As `aiosqlite.connect`, with fused cursors; the thread is a daemon (as SQLAlchemy makes
    aiosqlite's own), so a connection never closed cannot keep the process alive."""

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(database, **kwargs)

    connection = FusedConnection(connector, iter_chunk_size=64)
    connection._thread.daemon = True
    return connection
