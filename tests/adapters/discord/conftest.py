from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
def discord_run(fake: FakeDiscord, tmp_path: Path, storage_url: str) -> DiscordRun:
    return DiscordRun(fake=fake, db_path=tmp_path / "plein.db", storage_url=storage_url)
