"""A real PostgreSQL server for the test session, from PyPI (pgserver): no system install.

`PLEIN_TEST_POSTGRES=postgresql://...` points the suite at a server of your own instead.
If neither works the tests that need PostgreSQL fail with a message that says why; they never
skip silently.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

OWN_SERVER_VARIABLE = "PLEIN_TEST_POSTGRES"


class PostgresUnavailable(RuntimeError):
    pass


def start_server(data_dir: Path) -> str:
    """Start (or reuse) a server on a private Unix socket; return its admin URL."""
    own = os.environ.get(OWN_SERVER_VARIABLE)
    if own:
        return own.replace("postgresql+asyncpg://", "postgresql://")
    try:
        import pgserver
    except ImportError as error:
        raise PostgresUnavailable(
            "pgserver is not installed: install the test extra (pip install -e '.[test]') "
            f"or set {OWN_SERVER_VARIABLE} to a PostgreSQL admin URL"
        ) from error
    try:
        server = pgserver.get_server(data_dir, cleanup_mode="stop")
    except Exception as error:
        raise PostgresUnavailable(
            f"the embedded PostgreSQL server (pgserver) could not start in {data_dir}: {error}; "
            f"set {OWN_SERVER_VARIABLE} to a PostgreSQL admin URL to use another server"
        ) from error
    return str(server.get_uri())


def database_url(admin_url: str, name: str) -> str:
    """The admin URL with its database swapped for `name` (keeps ?host=socket-dir)."""
    base, _, query = admin_url.partition("?")
    url = base.rsplit("/", 1)[0] + f"/{name}"
    return f"{url}?{query}" if query else url


async def create_database(admin_url: str) -> str:
    import asyncpg

    name = f"plein_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return database_url(admin_url, name)


async def drop_database(admin_url: str, url: str) -> None:
    import asyncpg

    name = url.partition("?")[0].rsplit("/", 1)[1]
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
