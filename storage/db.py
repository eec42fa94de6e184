"""Engine, connection settings and migrations. SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from storage.revisions import (
    MIGRATIONS,
    DatabaseTooNew,
    RevisionStatus,
    alembic_config,
    refuse_newer,
    revision_status,
)

__all__ = ["MIGRATIONS", "Database", "DatabaseTooNew", "alembic_config", "normalize_url"]

from bot.health import Health, StorageUnavailable
from bot.urgency import writes_are_interactive
from storage import fused_sqlite
from storage.retry import RetryPolicy, is_transient, retrying

log = logging.getLogger("plein.storage")
T = TypeVar("T")
BUSY_TIMEOUT_SECONDS = 10.0
"""SQLite waits this long for another writer's lock before a write counts as failed (then retried)."""
MIGRATION_LOCK = 0x706C65696E  # "plein": the PostgreSQL advisory lock migrations take
STORAGE_FAULTS = (OperationalError, InterfaceError, ConnectionError)
"""Failures of the database itself (disk full, locked, connection lost), not of a query's logic:
an IntegrityError (a unique key doing its job) is not one of them."""
_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=]*=\s*(.*?)\s*$", re.M)
_PLAIN_VALUE = re.compile(r'^(?:None|"([^"]*)"|\'([^\']*)\')$')


def script_head() -> str | None:
    """The head revision of storage/migrations, read from the files' `revision` and
    `down_revision` lines (importing alembic and loading every script takes longer than the
    rest of start-up); None when the chain is not a plain one (a merge): then ask alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        values = []
        for key in ("revision", "down_revision"):
            match = _PLAIN_VALUE.match(found.get(key, ""))
            if match is None:
                return None
            values.append(match.group(1) or match.group(2))
        revision, parent = values
        if revision is None:
            return None
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def normalize_url(url: str) -> str:
    """Users write sqlite:///plein.db or postgresql://...; we pick the async drivers."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.drivername != "sqlite+aiosqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql" and parsed.drivername != "postgresql+asyncpg":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def sqlite_file(url: str) -> Path | None:
    """The database file behind a SQLite URL, or None for memory databases and other backends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _fused_connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """SQLite connections with one thread round trip per statement (storage/fused_sqlite.py)."""
    return dialect.loaded_dbapi.connect(*cargs, async_creator_fn=fused_sqlite.connect, **cparams)


def _sqlite_pragmas(busy_timeout: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()
        # SQLAlchemy emits BEGIN itself (`_sqlite_begin`), not the driver before the first write.
        dbapi_connection.isolation_level = None

    return on_connect


WRITES = "plein_writes"
"""Execution option of `Database.begin`/`write` transactions: on SQLite they start as
BEGIN IMMEDIATE. A deferred transaction that reads first and writes later cannot wait for the
write lock (SQLite answers 'database is locked' at once, whatever the busy timeout, to avoid a
deadlock), so under load a vote or a kudos could fail next to the batched writer; IMMEDIATE takes
the write lock up front and waits its turn within busy_timeout. Reads stay deferred (WAL readers
never wait)."""


def _sqlite_begin(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(WRITES) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def describe(error: BaseException) -> str:
    """One line naming the database's own complaint, e.g. 'OperationalError: database or disk
    is full' (SQLAlchemy's wrapper adds the SQL and a link, which an operator does not need)."""
    cause = getattr(error, "orig", None) or error
    text = " ".join(str(cause).split()) or "no details"
    return f"{type(cause).__name__}: {text}"


class WriteTurns:
    """SQLite has one write lock per file, and a writer that finds it taken sleeps in SQLite's
    busy handler, polling at growing intervals (up to 100 ms): next to a writer that takes the lock
    again and again (the batched writer under a busy stream), a waiting vote or kudos can miss every
    gap and fail after the whole busy timeout. So this process's writers take turns here first,
    first come first served, and a turn starts the moment the last one ends; SQLite's busy
    timeout is left for other processes. Waiting longer than `timeout` fails like a locked file
    (transient: `Database.write` retries it). On PostgreSQL writers do not queue here.

    An urgent writer (the durable inbox's group commit, which a platform's ack waits for) goes
    before the ordinary writers waiting, first come first served among the urgent ones, except
    that after an urgent turn one ordinary writer waiting goes next (they alternate while both
    wait): an ack waits for the write under way and at most one ordinary write, not for a queue
    of counter batches, processed marks and follow-ups; and acks arriving without a pause never
    starve those (the marks would fall behind, and with them what a restart must replay).

    An interactive writer (the writes of an interaction a member waits for, bot/urgency.py)
    goes after the urgent ones and before the ordinary ones, with the same one-ordinary-after
    rule: an interaction's vote skips the counter batches, and the commit a defer (an ack)
    waits for still skips the interactions queued ahead of it."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._interactive: deque[asyncio.Future[None]] = deque()
        self._ordinary: deque[asyncio.Future[None]] = deque()
        self._last_urgent = False
        """The last turn went to an urgent or interactive writer."""

    async def acquire(self, *, urgent: bool = False, interactive: bool = False) -> None:
        if not self._held:  # free: nobody waits either (a release hands the turn on)
            self._held = True
            self._last_urgent = urgent or interactive
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting = self._ordinary
        if urgent or interactive:
            waiting = self._urgent if urgent else self._interactive
        waiting.append(turn)
        try:
            async with asyncio.timeout(self.timeout):
                await turn
        except BaseException as error:
            if turn.done() and not turn.cancelled():
                self.release()  # the turn came as this writer gave up: pass it on
            else:
                turn.cancel()
                if turn in waiting:
                    waiting.remove(turn)
            if isinstance(error, TimeoutError):
                raise StorageUnavailable(
                    "OperationalError: database is locked "
                    f"(no write turn within {self.timeout:g} s)",
                    transient=True,
                ) from None
            raise

    @property
    def urgent_waiting(self) -> bool:
        """An urgent or interactive writer waits (a long writer may hand the turn over early)."""
        return any(not turn.done() for turn in (*self._urgent, *self._interactive))

    def release(self) -> None:
        queues = [self._urgent, self._interactive, self._ordinary]
        if self._last_urgent:
            queues.insert(0, queues.pop())  # one ordinary writer after an urgent one
        for waiting in queues:
            while waiting:
                turn = waiting.popleft()
                if not turn.done():
                    self._last_urgent = waiting is not self._ordinary
                    turn.set_result(None)  # the turn passes on; still held
                    return
        self._held = False


class Database:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        retry: RetryPolicy | None = None,
        health: Health | None = None,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{WRITES: True})
        self.retry = retry or RetryPolicy()
        self.health = health or Health()
        self._turns = WriteTurns(busy_timeout) if engine.dialect.name == "sqlite" else None

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        retry: RetryPolicy | None = None,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    ) -> Database:
        full = normalize_url(url)
        parsed = make_url(full)
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database in (None, "", ":memory:"):
                kwargs["poolclass"] = StaticPool
            kwargs["connect_args"] = {"timeout": busy_timeout}
        engine = create_async_engine(full, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine.sync_engine, "do_connect", _fused_connect)
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas(busy_timeout))
            event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return cls(engine, retry=retry, busy_timeout=busy_timeout)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        return make_url(str(self.engine.url)).render_as_string(hide_password=True)

    async def migrate(self) -> None:
        """Upgrade to the head revision; alembic is only loaded when a migration is pending.

        Raises StorageUnavailable (one clear line) when the database cannot be reached."""
        try:
            if not await self.migration_pending():
                return
            async with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    # Several processes starting at once on one database: one migrates, the
                    # others wait here and then find it done (held until this commit).
                    await conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                await conn.run_sync(_upgrade_head)
        except (DBAPIError, OSError) as error:
            raise StorageUnavailable(
                f"cannot open the database {self.location}: {describe(error)}"
            ) from error

    async def migration_pending(self) -> bool:
        """True unless the database is stamped at the head revision (read without Alembic)."""
        head = script_head()
        return head is None or await self._stamped() != {head}

    async def _stamped(self) -> set[str] | None:
        """The revisions in alembic_version (None when there is no such table yet)."""
        try:
            async with self.engine.connect() as conn:
                result = await conn.exec_driver_sql("SELECT version_num FROM alembic_version")
                return {str(row[0]) for row in result}
        except exc.DBAPIError:
            return None

    async def revision_status(self) -> RevisionStatus:
        async with self.engine.connect() as conn:
            return await conn.run_sync(revision_status)

    async def readiness(self) -> str | None:
        """None when reachable and migrated to this Plein's head, else why not."""
        database = sqlite_file(str(self.engine.url))
        if database is not None and not database.is_file():
            return f"database file {database} is missing"
        try:
            if not await self.migration_pending():
                return None  # the common answer, without loading Alembic (it probes /readyz)
            status = await self.revision_status()
        except Exception as exc:
            return f"database unreachable: {type(exc).__name__}: {exc}"
        if not status.known:
            return f"database revision {status.current} is newer than this Plein"
        if status.current != status.head:
            if status.current is None:
                return f"database is empty, not yet migrated to {status.head}"
            return f"database at revision {status.current}, not yet migrated to {status.head}"
        return None

    async def current_revision(self) -> str | None:
        async with self.engine.connect() as conn:
            return await conn.run_sync(_current_revision)

    @asynccontextmanager
    async def begin(self, *, urgent: bool = False) -> AsyncIterator[AsyncConnection]:
        """A transaction. A fault of the database itself comes out as StorageUnavailable and
        marks Plein unhealthy (use `write` for a write that should ride out a locked file).
        `urgent`: SQLite's next write turn before the other writers (WriteTurns); within an
        interaction's task (bot/urgency.py) writes are interactive: before the ordinary ones."""
        async with (
            self._write_turn(report=True, urgent=urgent),
            self._guarded(self._writer.begin(), report=True) as conn,
        ):
            yield conn

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        async with self._guarded(self.engine.connect(), report=True) as conn:
            yield conn

    async def write(self, body: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `body` in a transaction, retrying transient faults (locked, connection reset)
        with bounded backoff; a fault that outlasts the retries marks Plein unhealthy."""

        async def once() -> T:
            async with (
                self._write_turn(report=False),
                self._guarded(self._writer.begin(), report=False) as conn,
            ):
                return await body(conn)

        try:
            return await retrying(once, self.retry)
        except StorageUnavailable as error:
            self.health.fail(error.problem)
            raise

    def urgent_waiting(self) -> bool:
        """An urgent or interactive writer waits for the write turn (SQLite; never on
        PostgreSQL, where writers do not take turns): a long write can commit what it has and
        hand the turn over."""
        return self._turns is not None and self._turns.urgent_waiting

    @asynccontextmanager
    async def _write_turn(self, *, report: bool, urgent: bool = False) -> AsyncIterator[None]:
        turns = self._turns
        if turns is None:
            yield
            return
        try:
            await turns.acquire(urgent=urgent, interactive=writes_are_interactive())
        except StorageUnavailable as failure:
            if report:
                self.health.fail(failure.problem)
            raise
        try:
            yield
        finally:
            turns.release()

    @asynccontextmanager
    async def _guarded(self, opening: Any, *, report: bool) -> AsyncIterator[AsyncConnection]:
        try:
            async with opening as conn:
                yield conn
        except STORAGE_FAULTS as error:
            failure = StorageUnavailable(describe(error), transient=is_transient(error))
            if report:
                self.health.fail(failure.problem)
            raise failure from error

    async def close(self) -> None:
        await self.engine.dispose()


def _upgrade_head(connection: Connection) -> None:
    from alembic import command

    refuse_newer(connection)  # before Alembic, which would only say "Can't locate revision"
    command.upgrade(alembic_config(connection), "head")


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
