"""Two processes with one shard of two each, on one PostgreSQL (issue 17, Discord sharding).

Each process is a real Plein on the Discord adapter (here two in one event loop, as a test can
afford), against the fake Discord that routes the guild's events only to the shard that owns it
and records every IDENTIFY. The community already has members and a calendar."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord
from tests.postgres_server import create_database, drop_database

INTERVAL = 0.4
"""Discord's identify interval (5 s), shortened for the test."""


@pytest.fixture
def shared_postgres(postgres_admin_url: str, postgres_template: str) -> Iterator[str]:
    """One migrated PostgreSQL database for both processes."""
    url = asyncio.run(create_database(postgres_admin_url, template=postgres_template))
    yield url
    asyncio.run(drop_database(postgres_admin_url, url))


def welcomes(fake: FakeDiscord, user_id: str) -> list:
    return [m for m in fake.dm_messages(user_id) if "Welkom" in m["content"]]


def bot_posts(fake: FakeDiscord) -> list[str]:
    channels = {fake.channel_id(name) for name in ("algemeen", "doe-mee")}
    return [
        m["content"]
        for m in fake.messages.values()
        if m["channel_id"] in channels and m["author"]["id"] == fake.bot["id"]
    ]


async def test_one_shard_each_guild_events_once_identifies_apart_posts_once(
    fake: FakeDiscord,
    tmp_path: Path,
    shared_postgres: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake.populate(40)
    home = fake.guild_shard(2)
    runs = [
        DiscordRun(
            fake=fake,
            db_path=tmp_path / f"unused-{shard}.db",
            storage_url=shared_postgres,
            identify_delay=INTERVAL,
            env={"PLEIN_DISCORD__SHARD_COUNT": "2", "PLEIN_DISCORD__SHARD_IDS": f"[{shard}]"},
        )
        for shard in (0, 1)
    ]
    owner, other = runs[home], runs[1 - home]
    try:
        caplog.set_level(logging.INFO, logger="plein.discord.shards")
        await asyncio.gather(*(run.start() for run in runs))
        assert owner.adapter is not None and other.adapter is not None
        assert owner.adapter.client is not None and other.adapter.client is not None

        # Both shards are in bucket 0 (max_concurrency 1): Discord got their IDENTIFYs apart.
        assert sorted(shard for shard, _ in fake.identify_log) == [0, 1]
        first, second = fake.identifies_per_bucket()[0]
        assert second - first >= INTERVAL

        # The guild lives on the owner's shard only; the other process knows and says so, once.
        assert owner.adapter.guild() is not None
        assert other.adapter.guild() is None and list(other.adapter.client.guilds) == []
        said = [r.getMessage() for r in caplog.records if r.name == "plein.discord.shards"]
        assert sum("another process runs" in line for line in said) == 1
        assert sum("this process handles its events" in line for line in said) == 1
        assert len(fake.calls_to("PUT", "/commands")) == 1, "commands registered by the owner only"

        # A guild event reaches the owner's shard alone: one welcome.
        maria = await fake.join("Maria")
        await owner.wait(lambda: welcomes(fake, maria["id"]))
        await owner.settle()
        await other.settle()
        assert len(welcomes(fake, maria["id"])) == 1

        # Scheduled posts: the process without the guild comes first and posts (by REST); the
        # owner, later, finds the work done. Each post exactly once.
        for run in (other, owner):
            assert run.plein is not None and run.plein.time_control is not None
            await run.plein.time_control.advance_to(
                run.plein.clock.now() + timedelta(days=3, hours=11, minutes=31)
            )
            await run.settle()
        posts = bot_posts(fake)
        assert any("Tegelwippen" in text for text in posts)
        assert len(posts) == len(set(posts)) >= 2, posts
        await asyncio.gather(*(run.stop() for run in runs))
    finally:
        await asyncio.gather(*(run.kill() for run in runs))
