"""Log in with Discord: OAuth2 authorization code (scopes identify, guilds) through Authlib."""

from __future__ import annotations

from typing import Any

from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import Response

from bot.config import PleinConfig

SCOPES = "identify guilds"


class DiscordLogin:
    def __init__(self, config: PleinConfig) -> None:
        section = config.dashboard
        assert section.discord_client_id and section.discord_client_secret
        api = config.discord.api_base_url.rstrip("/")
        self.oauth = OAuth()
        self.oauth.register(
            name="discord",
            client_id=section.discord_client_id,
            client_secret=section.discord_client_secret.get_secret_value(),
            authorize_url=section.discord_authorize_url,
            access_token_url=f"{api}/oauth2/token",
            api_base_url=f"{api}/",
            client_kwargs={"scope": SCOPES, "token_endpoint_auth_method": "client_secret_basic"},
        )

    @classmethod
    def configured(cls, config: PleinConfig) -> bool:
        section = config.dashboard
        return bool(section.discord_client_id and section.discord_client_secret)

    async def start(self, request: Request, callback_url: str) -> Response:
        client: Any = self.oauth.create_client("discord")
        response: Response = await client.authorize_redirect(request, callback_url)
        return response

    async def finish(self, request: Request) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The user and their guilds, or None when Discord did not confirm the login."""
        client: Any = self.oauth.create_client("discord")
        try:
            token = await client.authorize_access_token(request)
            user = (await client.get("users/@me", token=token)).json()
            guilds = (await client.get("users/@me/guilds", token=token)).json()
        except (OAuthError, ValueError, KeyError):
            return None
        if not isinstance(user, dict) or not isinstance(guilds, list):
            return None
        return user, [g for g in guilds if isinstance(g, dict)]
