"""Discord's OAuth2 authorization-code flow, as the fake Discord serves it to a browser.

Shapes follow /work's shared payloads (discord_oauth2.md and its fixtures): the authorize page
redirects back with `code` and `state`; the token endpoint takes only form bodies with HTTP Basic
(or form) client credentials and answers access/refresh tokens; `/users/@me` and
`/users/@me/guilds` with a Bearer token describe the user who consented, the guilds' permissions
as decimal strings. The fake's consent screen is `consent`: the user who clicks "Authorize".
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from tests.fakes.discord import payloads as p

TOKEN_LIFETIME = 604800


@dataclass
class OAuthUser:
    """Who consents on the fake's authorize page, and what /users/@me/guilds says of them."""

    id: str
    username: str
    guilds: list[dict[str, Any]] = field(default_factory=list)
    global_name: str | None = None
    """The display name, which anyone may choose; None: the username."""


def partial_guild(
    guild_id: str, name: str, *, owner: bool = False, permissions: int = 0
) -> dict[str, Any]:
    """A /users/@me/guilds item (users_me_guilds.item.capture.json): permissions as a string."""
    return {
        "id": guild_id,
        "name": name,
        "icon": None,
        "owner": owner,
        "permissions": str(permissions),
        "features": [],
    }


@dataclass
class _Grant:
    user: OAuthUser
    client_id: str
    redirect_uri: str
    scope: str


class OAuthMixin:
    oauth_clients: dict[str, str]
    consent: OAuthUser | None
    _codes: dict[str, _Grant]
    _tokens: dict[str, _Grant]
    authorize_requests: list[dict[str, str]]

    def init_oauth(self) -> None:
        self.oauth_clients = {}
        """client id -> client secret of the applications that may use the flow."""
        self.consent = None
        self._codes = {}
        self._tokens = {}
        self.authorize_requests = []

    def add_oauth_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/oauth2/authorize", self._authorize)
        router.add_post("/api/v10/oauth2/token", self._token)

    async def _authorize(self, request: web.Request) -> web.StreamResponse:
        q = dict(request.query)
        self.authorize_requests.append(q)
        if q.get("response_type") != "code" or q.get("client_id") not in self.oauth_clients:
            return web.Response(status=400, text="Invalid OAuth2 request")
        if "redirect_uri" not in q:
            return web.Response(status=400, text="Invalid OAuth2 redirect_uri")
        if self.consent is None:  # the user clicked "Cancel"
            query = {"error": "access_denied", "state": q.get("state", "")}
            raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode(query)}")
        code = secrets.token_urlsafe(20)
        self._codes[code] = _Grant(
            self.consent, q["client_id"], q["redirect_uri"], q.get("scope", "")
        )
        query = {"code": code, **({"state": q["state"]} if "state" in q else {})}
        raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode(query)}")

    async def _token(self, request: web.Request) -> web.Response:
        if request.content_type != "application/x-www-form-urlencoded":
            return _error(400, "unsupported_grant_type")
        form = await request.post()
        client_id, client_secret = _basic(request.headers.get("Authorization", ""))
        client_id = client_id or str(form.get("client_id", ""))
        client_secret = client_secret or str(form.get("client_secret", ""))
        if not client_id or self.oauth_clients.get(client_id) != client_secret:
            return _error(401, "invalid_client")
        if form.get("grant_type") != "authorization_code":
            return _error(400, "unsupported_grant_type")
        grant = self._codes.pop(str(form.get("code", "")), None)
        if grant is None or grant.client_id != client_id:
            return _error(400, "invalid_grant")
        if form.get("redirect_uri") != grant.redirect_uri:
            return _error(400, "invalid_grant")
        token = secrets.token_urlsafe(24)
        self._tokens[token] = grant
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "refresh_token": secrets.token_urlsafe(24),
            "scope": grant.scope,
        }
        return web.json_response(body)

    def bearer_grant(self, request: web.Request) -> _Grant | None | bool:
        """False: not a Bearer call; None: an unknown token; else the grant."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        return self._tokens.get(header.removeprefix("Bearer "))

    def oauth_me(self, grant: _Grant) -> dict[str, Any]:
        user = p.user(grant.user.id, grant.user.username)
        if grant.user.global_name is not None:
            user["global_name"] = grant.user.global_name
        return {**user, "flags": 0, "premium_type": 0}

    def oauth_guilds(self, grant: _Grant) -> list[dict[str, Any]] | None:
        if "guilds" not in grant.scope.split():
            return None
        return list(grant.user.guilds)


def _basic(header: str) -> tuple[str, str]:
    if not header.startswith("Basic "):
        return "", ""
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return "", ""
    return user, password


def _error(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status)
