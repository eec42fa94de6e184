"""Sign in with Slack: OpenID Connect (scopes openid, profile) through Authlib.

Authlib reads Slack's endpoints from the issuer's discovery document, checks the state, and checks
the id_token (signature against Slack's published keys, issuer, audience, nonce, expiry) before
its claims are believed. Whether the person may see the dashboard is asked of Slack with the bot
token: `auth.test` names the bot's workspace, `users.info` says whether they administer it.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.starlette_client import OAuth
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from bot.config import PleinConfig
from bot.features.dashboard.access import SlackIdentity

log = logging.getLogger("plein.dashboard")

SCOPES = "openid profile"
TEAM_CLAIM = "https://slack.com/team_id"
USER_CLAIM = "https://slack.com/user_id"
FAILED = (AuthlibBaseError, JoseError, httpx2.HTTPError, ValueError, KeyError, TypeError)
"""What a refused, cancelled, forged or broken sign-in raises on its way through Authlib."""


class SlackLogin:
    def __init__(self, config: PleinConfig) -> None:
        section = config.dashboard
        assert section.slack_client_id and section.slack_client_secret
        self.oauth = OAuth()
        self.oauth.register(
            name="slack",
            client_id=section.slack_client_id,
            client_secret=section.slack_client_secret.get_secret_value(),
            server_metadata_url=f"{section.slack_issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPES, "token_endpoint_auth_method": "client_secret_post"},
        )
        self.workspace = SlackWorkspace(config)

    @classmethod
    def configured(cls, config: PleinConfig) -> bool:
        section = config.dashboard
        return bool(section.slack_client_id and section.slack_client_secret)

    async def start(self, request: Request, callback_url: str) -> Response | None:
        """The redirect to Slack's consent page; None when Slack's discovery document cannot be
        read (the endpoints come from it)."""
        client: Any = self.oauth.create_client("slack")
        team = await self.workspace.team()
        hint = {"team": team} if team else {}  # Slack then skips its workspace picker
        try:
            response: Response = await client.authorize_redirect(request, callback_url, **hint)
        except FAILED as error:
            log.warning("dashboard: Slack sign-in cannot start: %s", type(error).__name__)
            return None
        return response

    async def finish(self, request: Request) -> SlackIdentity | None:
        """Who signed in, or None when Slack did not confirm it (cancelled, foreign state, a
        token that does not check out)."""
        client: Any = self.oauth.create_client("slack")
        try:
            token = await client.authorize_access_token(request)
            claims = token.get("userinfo")
            if claims is None:  # no id_token: ask the userinfo endpoint with the access token
                claims = await client.userinfo(token=token)
        except FAILED as error:
            log.info("dashboard: Slack sign-in not confirmed: %s", type(error).__name__)
            return None
        user_id, team_id = claims.get(USER_CLAIM), claims.get(TEAM_CLAIM)
        if not isinstance(user_id, str) or not isinstance(team_id, str):
            return None
        name = claims.get("name") or claims.get("given_name") or ""
        return SlackIdentity(user_id, team_id, str(name))


class SlackWorkspace:
    """The bot's workspace and its admins, asked of Slack's Web API with the bot token
    (`auth.test`, `users.info`: scope users:read, which Plein's Slack app has anyway)."""

    def __init__(self, config: PleinConfig) -> None:
        token = config.slack.bot_token
        self.token = token.get_secret_value() if token else None
        self.api = config.slack.api_base_url
        self._team: str | None = None

    async def call(self, method: str, **args: str) -> dict[str, Any] | None:
        """The answer when Slack says ok, else None (logged)."""
        if self.token is None:
            return None
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            async with httpx2.AsyncClient(timeout=10) as http:
                response = await http.post(f"{self.api}{method}", data=args, headers=headers)
            answer = response.json()
        except (httpx2.HTTPError, ValueError) as error:
            log.warning("dashboard: Slack %s failed: %s", method, type(error).__name__)
            return None
        if not isinstance(answer, dict) or not answer.get("ok"):
            error_code = answer.get("error") if isinstance(answer, dict) else response.status_code
            log.warning("dashboard: Slack %s refused: %s", method, error_code)
            return None
        return answer

    async def team(self) -> str | None:
        """The bot token's workspace, asked once."""
        if self._team is None:
            answer = await self.call("auth.test")
            team = answer.get("team_id") if answer else None
            self._team = team if isinstance(team, str) else None
        return self._team

    async def is_admin(self, user_id: str) -> bool:
        answer = await self.call("users.info", user=user_id)
        user = answer.get("user") if answer else None
        if not isinstance(user, dict) or user.get("deleted"):
            return False
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
