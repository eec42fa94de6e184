"""Sign in with Slack (OpenID Connect), as the fake Slack serves it to a browser.

Shapes follow /work's shared payloads (oauth/slack.openid_connect_token.docs.json and
slack.openid_connect_userinfo.docs.json) and Slack's discovery document
(https://slack.com/.well-known/openid-configuration): the authorize page redirects back with
`code` and `state` (or `error=access_denied` when the user cancels); `openid.connect.token` takes
form fields client_id, client_secret, code, redirect_uri, grant_type and answers `{"ok": true,
access_token, token_type, id_token}` (HTTP 200 with `{"ok": false, "error": ...}` otherwise); the
id_token is an RS256 JWT signed with the key published at /openid/connect/keys, carrying the nonce
and the `https://slack.com/team_id` / `https://slack.com/user_id` claims; `openid.connect.userInfo`
with the Bearer access token answers the same claims. The consent screen is `signing_in`.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from authlib.oidc.core.util import create_half_hash
from joserfc import jwt
from joserfc.jwk import RSAKey

ID_TOKEN_LIFETIME = 3600


@dataclass
class SlackSignIn:
    """Who clicks "Allow" on the fake's consent page."""

    user_id: str
    name: str
    team_id: str


@dataclass
class _Grant:
    who: SlackSignIn
    client_id: str
    redirect_uri: str
    nonce: str | None
    scope: str


class OpenIDMixin:
    openid_clients: dict[str, str]
    signing_in: SlackSignIn | None
    openid_authorize_requests: list[dict[str, str]]
    openid_token_requests: list[dict[str, str]]
    _openid_codes: dict[str, _Grant]
    _openid_tokens: dict[str, _Grant]
    _openid_key: RSAKey | None
    forge_id_tokens: bool

    @property
    def url(self) -> str:
        raise NotImplementedError

    def init_openid(self) -> None:
        self.openid_clients = {}
        """client id -> client secret of the apps that may use Sign in with Slack."""
        self.signing_in = None
        self.openid_authorize_requests = []
        self.openid_token_requests = []
        self._openid_codes = {}
        self._openid_tokens = {}
        self._openid_key = None
        self.forge_id_tokens = False
        """Sign id_tokens with a key Slack never published (under the published key's kid)."""

    def add_openid_routes(self, router: web.UrlDispatcher) -> None:
        """Before the generic /api/{method} route: these take no bot token."""
        router.add_get("/.well-known/openid-configuration", self._discovery)
        router.add_get("/openid/connect/authorize", self._openid_authorize)
        router.add_get("/openid/connect/keys", self._openid_keys)
        router.add_post("/api/openid.connect.token", self._openid_token)
        router.add_route("*", "/api/openid.connect.userInfo", self._openid_userinfo)

    @property
    def openid_key(self) -> RSAKey:
        """Made on first use: most Slack tests never sign anyone in."""
        if self._openid_key is None:
            self._openid_key = RSAKey.generate_key(2048, parameters={"kid": "fake-slack-1"})
        return self._openid_key

    async def _discovery(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/openid/connect/authorize",
                "token_endpoint": f"{self.url}/api/openid.connect.token",
                "userinfo_endpoint": f"{self.url}/api/openid.connect.userInfo",
                "jwks_uri": f"{self.url}/openid/connect/keys",
                "scopes_supported": ["openid", "profile", "email"],
                "response_types_supported": ["code"],
                "response_modes_supported": ["form_post"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "claims_supported": ["sub", "auth_time", "iss"],
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
                "request_uri_parameter_supported": True,
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
            }
        )

    async def _openid_keys(self, request: web.Request) -> web.Response:
        public = self.openid_key.as_dict(private=False)
        return web.json_response({"keys": [{**public, "use": "sig", "alg": "RS256"}]})

    async def _openid_authorize(self, request: web.Request) -> web.StreamResponse:
        q = dict(request.query)
        self.openid_authorize_requests.append(q)
        if q.get("response_type") != "code" or q.get("client_id") not in self.openid_clients:
            return web.Response(status=400, text="invalid_client_id")
        if "openid" not in q.get("scope", "").split() or "redirect_uri" not in q:
            return web.Response(status=400, text="invalid_scope or bad_redirect_uri")
        state = {"state": q["state"]} if "state" in q else {}
        if self.signing_in is None:  # the user clicked "Cancel"
            query = {"error": "access_denied", **state}
            raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode(query)}")
        code = secrets.token_urlsafe(20)
        self._openid_codes[code] = _Grant(
            self.signing_in, q["client_id"], q["redirect_uri"], q.get("nonce"), q["scope"]
        )
        raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode({'code': code, **state})}")

    async def _openid_token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.openid_token_requests.append(form)
        client_id = form.get("client_id", "")
        if not client_id or self.openid_clients.get(client_id) != form.get("client_secret"):
            return _refusal("invalid_client_id")
        if form.get("grant_type", "authorization_code") != "authorization_code":
            return _refusal("invalid_grant_type")
        grant = self._openid_codes.pop(form.get("code", ""), None)
        if grant is None or grant.client_id != client_id:
            return _refusal("invalid_code")
        if form.get("redirect_uri") != grant.redirect_uri:
            return _refusal("bad_redirect_uri")
        access_token = "xoxp-" + secrets.token_hex(12)
        self._openid_tokens[access_token] = grant
        return web.json_response(
            {
                "ok": True,
                "access_token": access_token,
                "token_type": "Bearer",
                "id_token": self._id_token(grant, access_token),
            }
        )

    def _id_token(self, grant: _Grant, access_token: str) -> str:
        now = int(time.time())  # checked by the client against its own clock
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": grant.who.user_id,
            "aud": grant.client_id,
            "exp": now + ID_TOKEN_LIFETIME,
            "iat": now,
            "auth_time": now,
            "at_hash": create_half_hash(access_token, "RS256").decode(),
            **self.claims(grant.who),
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        header = {"alg": "RS256", "kid": self.openid_key.kid, "typ": "JWT"}
        key = RSAKey.generate_key(2048) if self.forge_id_tokens else self.openid_key
        return jwt.encode(header, claims, key)

    @staticmethod
    def claims(who: SlackSignIn) -> dict[str, Any]:
        return {
            "https://slack.com/user_id": who.user_id,
            "https://slack.com/team_id": who.team_id,
            "name": who.name,
            "given_name": who.name,
            "locale": "nl-NL",
            "https://slack.com/team_name": "De Groene Ring",
        }

    async def _openid_userinfo(self, request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        grant = self._openid_tokens.get(header.removeprefix("Bearer "))
        if not header.startswith("Bearer ") or grant is None:
            return _refusal("invalid_auth")
        return web.json_response({"ok": True, "sub": grant.who.user_id, **self.claims(grant.who)})


def _refusal(error: str) -> web.Response:
    """Slack answers a refused Web API call with HTTP 200 and ok: false."""
    return web.json_response({"ok": False, "error": error})
