"""Sign in with Slack (OpenID Connect) against the fake Slack, over real HTTP (no browser).

The community already has weeks of history; a workspace admin, a configured manager, a member, a
member of another workspace and a forger each try to sign in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.dashboard.community import DashboardCommunity, seed_extras, start_dashboard
from tests.dashboard.conftest import CLIENT_SECRET, SLACK_CLIENT_ID, dashboard_env, slack_env
from tests.fakes.discord.server import FakeDiscord
from tests.fakes.slack.openid import SlackSignIn
from tests.fakes.slack.server import BOT_TOKEN, TEAM, FakeSlack


@pytest.fixture
def history(history_copy: Path) -> Path:
    """The same weeks of history as everywhere in the dashboard tests, played once."""
    return history_copy


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        yield client


async def sign_in_with_slack(
    session: aiohttp.ClientSession, community: DashboardCommunity
) -> tuple[int, str, str]:
    """Click "Sign in with Slack", consent on the fake, come back: (status, final path, html)."""
    async with session.get(f"{community.url}/login/slack") as response:
        return response.status, response.url.path, await response.text()


async def assert_no_session(session: aiohttp.ClientSession, community: DashboardCommunity) -> None:
    async with session.get(f"{community.url}/overview", allow_redirects=False) as response:
        assert response.status == 303
        assert response.headers["Location"].endswith("/dashboard/login")


async def test_a_workspace_admin_gets_in(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.add_user("U0NELLY", "Nelly", is_admin=True)
    slack.signing_in = SlackSignIn("U0NELLY", "Nelly", TEAM)
    async with session.get(f"{slack_community.url}/login") as response:
        assert 'id="login-slack"' in await response.text()

    status, path, html = await sign_in_with_slack(session, slack_community)
    assert (status, path) == (200, "/dashboard/overview")
    assert "Ingelogd als Nelly" in html

    authorize = slack.openid_authorize_requests[-1]
    assert authorize["response_type"] == "code" and authorize["scope"] == "openid profile"
    assert authorize["client_id"] == SLACK_CLIENT_ID
    assert authorize["state"] and authorize["nonce"]
    assert authorize["team"] == TEAM  # the bot's workspace, so Slack skips its picker
    assert authorize["redirect_uri"] == f"{slack_community.url}/login/slack/callback"
    token_request = slack.openid_token_requests[-1]
    assert token_request["client_id"] == SLACK_CLIENT_ID
    assert token_request["client_secret"] == CLIENT_SECRET
    assert token_request["grant_type"] == "authorization_code"
    [asked] = slack.calls_to("users.info")
    assert asked["user"] == "U0NELLY" and asked.token == BOT_TOKEN
    assert [c.token for c in slack.calls_to("auth.test")] == [BOT_TOKEN]

    async with session.get(f"{slack_community.url}/members") as response:
        assert response.status == 200  # the session holds on every page


async def test_a_workspace_owner_gets_in_too(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.add_user("U0OWNER", "Olga", is_owner=True)
    slack.signing_in = SlackSignIn("U0OWNER", "Olga", TEAM)
    status, path, _ = await sign_in_with_slack(session, slack_community)
    assert (status, path) == (200, "/dashboard/overview")


async def test_a_configured_manager_gets_in_and_loses_access_when_taken_off_the_list(
    history: Path, discord: FakeDiscord, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    """Listed by Slack id, with a display name that is also a listed console name: only the id
    counts, at the login and again on every page after the restart that drops it."""
    env = {**dashboard_env(discord), **slack_env(slack)}
    community = await start_dashboard(
        history, {**env, "PLEIN_COMMUNITY__MANAGERS": '["anna", "U0ANNA"]'}, seed_extras
    )
    try:
        slack.add_user("U0ANNA", "anna")
        slack.signing_in = SlackSignIn("U0ANNA", "anna", TEAM)
        status, path, html = await sign_in_with_slack(session, community)
        assert (status, path) == (200, "/dashboard/overview")
        assert "Ingelogd als anna" in html
        assert slack.calls_to("users.info") == []  # the configuration alone decides
    finally:
        await community.close()
    restarted = await start_dashboard(history, {**env, "PLEIN_COMMUNITY__MANAGERS": '["anna"]'})
    try:
        async with session.get(f"{restarted.url}/overview", allow_redirects=False) as response:
            assert response.status == 403
    finally:
        await restarted.close()


async def test_a_display_name_that_matches_a_manager_is_no_right(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    """community.managers lists "anna"; on Slack anyone may call themselves anna."""
    slack.add_user("U0FAKE", "anna")
    slack.signing_in = SlackSignIn("U0FAKE", "anna", TEAM)
    status, _, html = await sign_in_with_slack(session, slack_community)
    assert status == 403
    assert "Geen toegang" in html


async def test_a_member_without_rights_gets_403(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.add_user("U0BRAM", "bram")
    slack.signing_in = SlackSignIn("U0BRAM", "bram", TEAM)
    status, _, html = await sign_in_with_slack(session, slack_community)
    assert status == 403
    assert "Geen toegang" in html
    await assert_no_session(session, slack_community)


async def test_an_admin_of_another_workspace_gets_403(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.add_user("U0ELSE", "Ella", is_admin=True)
    slack.signing_in = SlackSignIn("U0ELSE", "Ella", "T999OTHER")
    status, _, html = await sign_in_with_slack(session, slack_community)
    assert status == 403
    assert "Geen toegang" in html
    await assert_no_session(session, slack_community)


async def test_cancelling_on_slack_is_a_clear_refusal(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.signing_in = None
    status, _, html = await sign_in_with_slack(session, slack_community)
    assert status == 403
    assert "Slack heeft het inloggen niet bevestigd" in html
    assert slack.openid_token_requests == []
    await assert_no_session(session, slack_community)


async def test_a_callback_with_a_foreign_state_never_reaches_the_token_endpoint(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.add_user("U0NELLY", "Nelly", is_admin=True)
    slack.signing_in = SlackSignIn("U0NELLY", "Nelly", TEAM)
    async with session.get(f"{slack_community.url}/login/slack", allow_redirects=False) as start:
        assert start.status == 302  # our own state now sits in the session
    stolen = f"{slack_community.url}/login/slack/callback?code=stolen&state=not-ours"
    async with session.get(stolen) as response:
        assert response.status == 403
    assert slack.openid_token_requests == []
    await assert_no_session(session, slack_community)


async def test_an_id_token_slack_did_not_sign_is_refused(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    slack.add_user("U0NELLY", "Nelly", is_admin=True)
    slack.signing_in = SlackSignIn("U0NELLY", "Nelly", TEAM)
    slack.forge_id_tokens = True
    status, _, html = await sign_in_with_slack(session, slack_community)
    assert status == 403
    assert "Slack heeft het inloggen niet bevestigd" in html
    assert slack.calls_to("users.info") == []
    await assert_no_session(session, slack_community)


async def test_the_page_is_in_english_for_an_english_session(
    slack_community: DashboardCommunity, slack: FakeSlack, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"{slack_community.url}/overview?lang=en") as response:
        assert response.url.path == "/dashboard/login"
        assert "Sign in with Slack" in await response.text()
    slack.signing_in = None
    _, _, html = await sign_in_with_slack(session, slack_community)
    assert "Slack did not confirm the sign-in" in html
