from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support import ConsoleRun

POSTGRES_ADMIN_URL = os.environ.get("PLEIN_TEST_POSTGRES")
"""Set to e.g. postgresql://postgres@127.0.0.1:5432/postgres to run every console-level test on
its own fresh PostgreSQL database instead of a SQLite file (needs the `postgres` extra)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_file: the test inspects the SQLite file itself (skipped on PostgreSQL)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if POSTGRES_ADMIN_URL is None:
        return
    skip = pytest.mark.skip(reason="inspects the SQLite file directly; PLEIN_TEST_POSTGRES is set")
    for item in items:
        if "sqlite_file" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[ConsoleRun]:
    """A scripted console community on a fresh database; `await console.run(script)`."""
    run = ConsoleRun(db_path=tmp_path / "plein.db")
    if POSTGRES_ADMIN_URL is None:
        yield run
        return
    import asyncpg

    name = f"plein_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    run.env["PLEIN_STORAGE__URL"] = admin_dsn.rsplit("/", 1)[0] + f"/{name}"
    yield run
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
def postgres_admin_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real PostgreSQL server for the whole session (tests/postgres_server.py)."""
    from tests.postgres_server import start_server

    return start_server(tmp_path_factory.mktemp("postgres"))


@pytest.fixture
async def postgres_url(postgres_admin_url: str) -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    from tests.postgres_server import create_database, drop_database

    url = await create_database(postgres_admin_url)
    yield url
    await drop_database(postgres_admin_url, url)
