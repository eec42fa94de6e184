"""Log in with Discord against the fake Discord's OAuth2 flow, over real HTTP (no browser)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.dashboard.community import DashboardCommunity, start_dashboard
from tests.dashboard.conftest import CLIENT_SECRET, dashboard_env
from tests.fakes.discord.oauth import OAuthUser, partial_guild
from tests.fakes.discord.server import FakeDiscord

MANAGE_GUILD = 1 << 5
EVERYTHING_BUT_MANAGING = (1 << 31) - 1 - (1 << 5) - (1 << 3)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        yield client


async def log_in_with_discord(
    session: aiohttp.ClientSession, community: DashboardCommunity
) -> tuple[int, str, str]:
    """Click "Log in with Discord", consent on the fake, come back: (status, final path, html)."""
    async with session.get(f"{community.url}/login/discord") as response:
        return response.status, response.url.path, await response.text()


async def test_someone_who_can_manage_the_server_gets_in(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    discord.consent = OAuthUser(
        "80351110224678912",
        "Nelly",
        [
            partial_guild("123", "Elsewhere", owner=True),
            partial_guild(discord.guild_id, "De Groene Ring", permissions=MANAGE_GUILD),
        ],
    )
    status, path, html = await log_in_with_discord(session, community)
    assert (status, path) == (200, "/dashboard/overview")
    assert "Ingelogd als Nelly" in html

    authorize = discord.authorize_requests[-1]
    assert authorize["response_type"] == "code" and authorize["scope"] == "identify guilds"
    assert authorize["client_id"] == discord.application_id and authorize["state"]
    assert authorize["redirect_uri"] == f"{community.url}/login/discord/callback"
    token_call = discord.calls_to("POST", "/oauth2/token")[-1]
    expected = base64.b64encode(f"{discord.application_id}:{CLIENT_SECRET}".encode()).decode()
    assert token_call.headers["Authorization"] == f"Basic {expected}"
    assert token_call.headers["Content-Type"].startswith("application/x-www-form-urlencoded")


async def test_a_configured_manager_gets_in_without_server_rights(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    discord.consent = OAuthUser("80351110224678913", "anna", [])  # community.managers = ["anna"]
    status, path, html = await log_in_with_discord(session, community)
    assert (status, path) == (200, "/dashboard/overview")
    assert "Ingelogd als anna" in html


async def test_a_display_name_like_a_managers_name_gets_403(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    """Discord's display name (`global_name`) is anyone's choice; the username is unique."""
    discord.consent = OAuthUser("80351110224678999", "mallory", [], global_name="anna")
    status, _, _ = await log_in_with_discord(session, community)
    assert status == 403


@pytest.mark.parametrize(
    "guilds",
    [
        "no rights",
        "rights elsewhere",
        "no guilds",
    ],
)
async def test_a_member_without_rights_gets_403(
    community: DashboardCommunity,
    discord: FakeDiscord,
    session: aiohttp.ClientSession,
    guilds: str,
) -> None:
    listed = {
        "no rights": [partial_guild(discord.guild_id, "Ring", permissions=EVERYTHING_BUT_MANAGING)],
        "rights elsewhere": [partial_guild("99", "Other", owner=True, permissions=MANAGE_GUILD)],
        "no guilds": [],
    }[guilds]
    discord.consent = OAuthUser("80351110224678914", "bram", listed)
    status, _, html = await log_in_with_discord(session, community)
    assert status == 403
    assert "Geen toegang" in html
    async with session.get(f"{community.url}/overview", allow_redirects=False) as response:
        assert response.status == 303  # no session was made


async def test_cancelling_on_discord_is_a_clear_refusal(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    discord.consent = None
    status, _, html = await log_in_with_discord(session, community)
    assert status == 403
    assert "Discord heeft het inloggen niet bevestigd" in html


async def test_a_callback_with_a_foreign_state_is_refused(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    async with session.get(
        f"{community.url}/login/discord/callback?code=stolen&state=not-ours"
    ) as response:
        assert response.status == 403
    assert discord.calls_to("POST", "/oauth2/token") == []


async def test_a_manager_taken_off_the_list_loses_access_after_the_restart(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    """The session cookie outlives the process (a fixed secret); the right is checked again."""
    discord.consent = OAuthUser("80351110224678913", "anna", [])
    status, _, _ = await log_in_with_discord(session, community)
    assert status == 200
    await community.close()
    env = {**dashboard_env(discord), "PLEIN_COMMUNITY__MANAGERS": '["carla"]'}
    restarted = await start_dashboard(community.db_path, env)
    try:
        async with session.get(f"{restarted.url}/overview", allow_redirects=False) as response:
            assert response.status == 403
    finally:
        await restarted.close()
