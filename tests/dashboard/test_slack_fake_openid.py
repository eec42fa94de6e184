"""The fake Slack's Sign in with Slack answers in the shapes Slack documents
(tests/fixtures/slack/slack.openid_connect_*.docs.json), so the login tests test something real."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from tests.fakes.slack.openid import SlackSignIn
from tests.fakes.slack.server import TEAM, FakeSlack

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "slack"
CLIENT, SECRET, BACK = "1.2", "s3cret", "http://127.0.0.1:1/back"


def documented(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = await FakeSlack().start()
    fake.openid_clients[CLIENT] = SECRET
    yield fake
    await fake.close()


async def code_for(http: aiohttp.ClientSession, slack: FakeSlack) -> str:
    query = {"response_type": "code", "client_id": CLIENT, "scope": "openid profile",
             "redirect_uri": BACK, "state": "st", "nonce": "n"}  # fmt: skip
    async with http.get(
        f"{slack.url}/openid/connect/authorize", params=query, allow_redirects=False
    ) as response:
        assert response.status == 302
        back = parse_qs(urlsplit(response.headers["Location"]).query)
    assert back["state"] == ["st"]
    return back["code"][0]


async def test_token_and_userinfo_have_the_documented_shape(slack: FakeSlack) -> None:
    slack.signing_in = SlackSignIn("U0R7JM", "krane", TEAM)
    async with aiohttp.ClientSession() as http:
        form = {"client_id": CLIENT, "client_secret": SECRET, "code": await code_for(http, slack),
                "redirect_uri": BACK, "grant_type": "authorization_code"}  # fmt: skip
        async with http.post(f"{slack.url}/api/openid.connect.token", data=form) as response:
            token = await response.json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        async with http.get(
            f"{slack.url}/api/openid.connect.userInfo", headers=headers
        ) as response:
            info = await response.json()
        # a code works once, as Slack's do
        async with http.post(f"{slack.url}/api/openid.connect.token", data=form) as response:
            again = await response.json()
    assert set(token) == set(documented("slack.openid_connect_token.docs.json"))
    assert str(token["access_token"]).startswith("xoxp-") and token["id_token"].count(".") == 2
    userinfo = documented("slack.openid_connect_userinfo.docs.json")
    for claim in ("ok", "sub", "https://slack.com/user_id", "https://slack.com/team_id", "name"):
        assert claim in userinfo and claim in info
    assert info["sub"] == info["https://slack.com/user_id"] == "U0R7JM"
    assert again == {"ok": False, "error": "invalid_code"}


async def test_a_wrong_secret_is_refused_like_slack_does(slack: FakeSlack) -> None:
    slack.signing_in = SlackSignIn("U0R7JM", "krane", TEAM)
    async with aiohttp.ClientSession() as http:
        form = {"client_id": CLIENT, "client_secret": "guess", "code": await code_for(http, slack),
                "redirect_uri": BACK, "grant_type": "authorization_code"}  # fmt: skip
        async with http.post(f"{slack.url}/api/openid.connect.token", data=form) as response:
            assert response.status == 200  # Slack answers refusals with 200 and ok: false
            assert await response.json() == {"ok": False, "error": "invalid_client_id"}
