"""Storage tests run on a SQLite file and on a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    admin: str | None = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'plein.db'}"
    else:
        from tests.postgres_server import create_database

        admin = request.getfixturevalue("postgres_admin_url")  # a plain session fixture
        url = await create_database(admin)
    db = Database.from_url(url)
    await db.migrate()
    try:
        yield db
    finally:
        await db.close()
        if admin is not None:
            from tests.postgres_server import drop_database

            await drop_database(admin, url)
