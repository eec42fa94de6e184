"""A real PostgreSQL server for the test session, from PyPI (pgserver): no system install.

`PLEIN_TEST_POSTGRES=postgresql://...` points the suite at a server of your own instead.
If neither works the tests that need PostgreSQL fail with a message that says why; they never
skip silently.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OWN_SERVER_VARIABLE = "PLEIN_TEST_POSTGRES"


class PostgresUnavailable(RuntimeError):
    pass


@contextmanager
def running_server() -> Iterator[str]:
    """A server on a private Unix socket for the duration (or your own); yields its admin URL.

    The data directory is a fresh temporary one outside pytest's basetemp: with several pytest
    sessions at once on a machine, pytest prunes older numbered basetemp folders, which pulled
    the data directory from under a running server."""
    own = os.environ.get(OWN_SERVER_VARIABLE)
    if own:
        url = own.replace("postgresql+asyncpg://", "postgresql://")
        asyncio.run(_reachable(url))
        yield url
        return
    try:
        import pgserver
    except ImportError as error:
        raise PostgresUnavailable(
            "pgserver is not installed: install the test extra (pip install -e '.[test]') "
            f"or set {OWN_SERVER_VARIABLE} to a PostgreSQL admin URL"
        ) from error
    data_dir = Path(tempfile.mkdtemp(prefix="plein-pg-"))
    try:
        server = pgserver.get_server(data_dir, cleanup_mode="delete")
    except Exception as error:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise PostgresUnavailable(
            f"the embedded PostgreSQL server (pgserver) could not start in {data_dir}: {error}; "
            f"set {OWN_SERVER_VARIABLE} to a PostgreSQL admin URL to use another server"
        ) from error
    try:
        yield str(server.get_uri())
    finally:
        try:
            server.cleanup()
        except OSError as error:
            # Run as root, pgserver stops the server as its own user through pg_ctl; in a fresh
            # virtualenv that exec was refused at session end (EACCES) after every test passed.
            # Stop the postmaster by its pid file instead: the data directory is a temporary one.
            print(f"\npgserver cleanup failed ({error}); stopping the server by its pid file")
            _stop_by_pid_file(data_dir)
            shutil.rmtree(data_dir, ignore_errors=True)


def _stop_by_pid_file(data_dir: Path) -> None:
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError, IndexError):
        pass


async def _reachable(admin_url: str) -> None:
    import asyncpg

    try:
        connection = await asyncpg.connect(admin_url, timeout=10)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        raise PostgresUnavailable(
            f"{OWN_SERVER_VARIABLE} names a PostgreSQL server that cannot be reached "
            f"({type(error).__name__}: {error}); unset it to use the embedded server (pgserver)"
        ) from error
    await connection.close()


def database_url(admin_url: str, name: str) -> str:
    """The admin URL with its database swapped for `name` (keeps ?host=socket-dir)."""
    base, _, query = admin_url.partition("?")
    url = base.rsplit("/", 1)[0] + f"/{name}"
    return f"{url}?{query}" if query else url


async def create_database(admin_url: str, *, template: str | None = None) -> str:
    """A new database, empty or a copy of `template` (PostgreSQL copies files: fast)."""
    import asyncpg

    name = f"plein_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await admin.close()
    return database_url(admin_url, name)


async def create_migrated_template(admin_url: str) -> str:
    """A database migrated to the head revision, to copy for each test; returns its name.

    Migrating costs about half a second a database on PostgreSQL; copying the template about a
    tenth. The migration itself is tested on an empty database (tests/core/test_migrations.py)."""
    from storage.db import Database

    url = await create_database(admin_url)
    db = Database.from_url(url)
    try:
        await db.migrate()
    finally:
        await db.close()
    return database_name(url)


def database_name(url: str) -> str:
    return url.partition("?")[0].rsplit("/", 1)[1]


async def drop_database(admin_url: str, url: str) -> None:
    import asyncpg

    name = database_name(url)
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
