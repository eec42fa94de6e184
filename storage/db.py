"""Engine, connection settings and migrations. SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, make_url
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

log = logging.getLogger("plein.storage")
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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> Database:
        full = normalize_url(url)
        parsed = make_url(full)
        kwargs: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite":
            if parsed.database in (None, "", ":memory:"):
                kwargs["poolclass"] = StaticPool
            kwargs["connect_args"] = {"timeout": 10}
        engine = create_async_engine(full, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return cls(engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        return make_url(str(self.engine.url)).render_as_string(hide_password=True)

    async def migrate(self) -> None:
        """Upgrade to the head revision; alembic is only loaded when a migration is pending."""
        head = script_head()
        if head is not None and await self._stamped() == {head}:
            return
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade_head)

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
            status = await self.revision_status()
        except Exception as exc:
            return f"database unreachable: {type(exc).__name__}: {exc}"
        if not status.known:
            return f"database revision {status.current} is newer than this Plein"
        if status.current != status.head:
            return f"database at revision {status.current}, not yet migrated to {status.head}"
        return None

    async def current_revision(self) -> str | None:
        async with self.engine.connect() as conn:
            return await conn.run_sync(_current_revision)

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    async def close(self) -> None:
        await self.engine.dispose()


def _upgrade_head(connection: Connection) -> None:
    from alembic import command

    refuse_newer(connection)  # before Alembic, which would only say "Can't locate revision"
    command.upgrade(alembic_config(connection), "head")


def _current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
