"""Every test that touches storage runs twice: on a SQLite file and on a real PostgreSQL server.

A test (or a fixture it uses) that asks for `backend` or `storage_url` is parametrized
`[sqlite]` / `[postgres]`; `-k "not postgres"` (or `-m "not postgres"`) selects the fast
SQLite-only subset. The PostgreSQL server comes from PyPI (pgserver, tests/postgres_server.py),
started once per session (per xdist worker) on a private socket, only when a PostgreSQL test
runs; `PLEIN_TEST_POSTGRES=postgresql://...` uses a server of your own. A test marked
`sqlite_file` reads the SQLite file itself and runs on SQLite only (say why beside the mark).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path

import pytest

from tests.support import ConsoleRun

BACKENDS = ("sqlite", "postgres")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_file: the test inspects the SQLite file itself (SQLite only)"
    )
    config.addinivalue_line("markers", "postgres: the PostgreSQL run of a storage test")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under `pytest -n ... --dist loadgroup` the Synapse tests share one worker, so the
    homeserver starts once per run instead of once per worker (tests/xdist_groups.py says why
    this is not an `xdist_group` mark)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.xdist_groups import make_scheduler

    return make_scheduler(config, log)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_file") is not None
    params = [
        pytest.param(name, marks=[pytest.mark.postgres] if name == "postgres" else [])
        for name in BACKENDS
        if not (sqlite_only and name == "postgres")
    ]
    metafunc.parametrize("backend", params, indirect=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """In CI (`CI` set) a PostgreSQL test that skips fails instead: never green without it."""
    report = yield
    if report.skipped and os.environ.get("CI") and item.get_closest_marker("postgres"):
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid}: PostgreSQL tests must not be skipped in CI"
    return report


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """ "sqlite" or "postgres" (parametrized by pytest_generate_tests above)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def storage_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The storage URL of a fresh database for this test: a SQLite file not yet created, or a
    new PostgreSQL database already migrated to the head revision (copied from a template)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'plein.db'}"
        return
    yield from _postgres_database(request, template=request.getfixturevalue("postgres_template"))


@pytest.fixture
def empty_storage_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Like storage_url, but the PostgreSQL database is empty too (no migration run yet)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'plein.db'}"
        return
    yield from _postgres_database(request, template=None)


def _postgres_database(request: pytest.FixtureRequest, template: str | None) -> Iterator[str]:
    # Sync on purpose: pytest-asyncio cannot run an async fixture picked by getfixturevalue
    # from inside another async fixture, and only PostgreSQL runs should start the server.
    from tests.postgres_server import create_database, drop_database

    admin_url = request.getfixturevalue("postgres_admin_url")
    url = asyncio.run(create_database(admin_url, template=template))
    yield url
    asyncio.run(drop_database(admin_url, url))


@pytest.fixture
def console(tmp_path: Path, storage_url: str) -> ConsoleRun:
    """A scripted console community on a fresh database; `await console.run(script)`."""
    return ConsoleRun(db_path=tmp_path / "plein.db", storage_url=storage_url)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A real PostgreSQL server for the whole session (tests/postgres_server.py)."""
    from tests.postgres_server import running_server

    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> Iterator[str]:
    """The name of a database migrated to the head revision, copied for each PostgreSQL test."""
    from tests.postgres_server import create_migrated_template, database_url, drop_database

    name = asyncio.run(create_migrated_template(postgres_admin_url))
    yield name
    asyncio.run(drop_database(postgres_admin_url, database_url(postgres_admin_url, name)))


@pytest.fixture
async def postgres_url(postgres_admin_url: str) -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    from tests.postgres_server import create_database, drop_database

    url = await create_database(postgres_admin_url)
    yield url
    await drop_database(postgres_admin_url, url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the head revision once per session: a test that makes many
    fresh databases (a Hypothesis example each) copies it instead of migrating each one."""
    import sqlite3

    from storage.db import Database

    path = tmp_path_factory.mktemp("sqlite-template") / "plein.db"

    async def migrate() -> None:
        db = Database.from_url(f"sqlite:///{path}")
        try:
            await db.migrate()
        finally:
            await db.close()

    asyncio.run(migrate())
    with sqlite3.connect(path) as conn:  # everything in the file itself, nothing in a -wal
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def copy_of_sqlite(template: Path, target: Path) -> str:
    """A fresh database at `target`, migrated (a copy of `template`); its storage URL."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
