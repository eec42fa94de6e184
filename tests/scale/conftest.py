"""A migrated database of each kind Plein supports, for the claim tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plein.db'}"
        return
    from tests.postgres_server import create_database, drop_database

    admin: str = request.getfixturevalue("postgres_admin_url")  # a session fixture, not async
    url = await create_database(admin)
    yield url
    await drop_database(admin, url)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database.from_url(database_url)
    await db.migrate()
    try:
        yield db
    finally:
        await db.close()
