from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.dashboard import SqlDashboardStore
from storage.db import Database
from tests.dashboard.community import (
    DashboardCommunity,
    make_history,
    seed_extras,
    start_dashboard,
)
from tests.fakes.discord.server import FakeDiscord
from tests.fakes.slack.server import BOT_TOKEN, FakeSlack

CLIENT_SECRET = "fake-client-secret"
SLACK_CLIENT_ID = "3660753192626.3667146496162"


@pytest.fixture
async def discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    fake.oauth_clients[fake.application_id] = CLIENT_SECRET
    yield fake
    await fake.close()


def dashboard_env(fake: FakeDiscord) -> dict[str, str]:
    base = f"http://127.0.0.1:{fake.port}"
    return {
        "PLEIN_DASHBOARD__SECRET": "a-test-secret-for-signing",
        # the figures, not the "being computed" page, whatever the machine's load
        "PLEIN_DASHBOARD__FIRST_WAIT": "5m",
        "PLEIN_DASHBOARD__DISCORD_CLIENT_ID": fake.application_id,
        "PLEIN_DASHBOARD__DISCORD_CLIENT_SECRET": CLIENT_SECRET,
        "PLEIN_DASHBOARD__DISCORD_AUTHORIZE_URL": f"{base}/oauth2/authorize",
        "PLEIN_DISCORD__API_BASE_URL": f"{base}/api/v10",
        "PLEIN_DISCORD__GUILD_ID": fake.guild_id,
    }


@pytest.fixture
def history(history_copy: Path) -> Path:
    """The community's database after weeks of life (and a restart in between): played once
    per session, copied for each test."""
    return history_copy


@pytest.fixture
async def community(history: Path, discord: FakeDiscord) -> AsyncIterator[DashboardCommunity]:
    running = await start_dashboard(history, dashboard_env(discord), seed_extras)
    yield running
    await running.close()  # a test may have stopped it already (a restart)


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    fake.openid_clients[SLACK_CLIENT_ID] = CLIENT_SECRET
    yield fake
    await fake.close()


def slack_env(fake: FakeSlack) -> dict[str, str]:
    """Sign in with Slack against the fake: its discovery document names every endpoint."""
    return {
        "PLEIN_DASHBOARD__SLACK_CLIENT_ID": SLACK_CLIENT_ID,
        "PLEIN_DASHBOARD__SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "PLEIN_DASHBOARD__SLACK_ISSUER": fake.url,
        "PLEIN_SLACK__BOT_TOKEN": BOT_TOKEN,
        "PLEIN_SLACK__API_BASE_URL": fake.api_url,
    }


@pytest.fixture
async def slack_community(
    history: Path, discord: FakeDiscord, slack: FakeSlack
) -> AsyncIterator[DashboardCommunity]:
    """The same community, with both Log in with Discord and Sign in with Slack offered."""
    running = await start_dashboard(
        history, {**dashboard_env(discord), **slack_env(slack)}, seed_extras
    )
    yield running
    await running.close()


@pytest.fixture(scope="session")
def history_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The community's weeks of history played once per session (it takes many seconds);
    `history_copy` gives each test its own copy. The history does not depend on the fakes."""
    db_path = tmp_path_factory.mktemp("dashboard-history") / "plein.db"
    asyncio.run(make_history(db_path, {}))
    return db_path


@pytest.fixture
def history_copy(history_once: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "plein.db"
    shutil.copyfile(history_once, copy)
    return copy


@pytest.fixture
async def store(storage_url: str) -> AsyncIterator[SqlDashboardStore]:
    """The dashboard's store on a fresh database of the test's backend (SQLite, PostgreSQL)."""
    db = Database.from_url(storage_url)
    await db.migrate()
    yield SqlDashboardStore(db)
    await db.close()
