"""A migrated database of each kind Plein supports, for the claim tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.db import Database


@pytest.fixture
async def database(storage_url: str) -> AsyncIterator[Database]:
    db = Database.from_url(storage_url)
    await db.migrate()
    try:
        yield db
    finally:
        await db.close()
