"""A fake Discord on 127.0.0.1: REST (aiohttp) + gateway websocket, for the real discord.py.

Pitfalls of the real service are built in: JSON only with an exact `Content-Type:
application/json`; the interaction callback (`?with_response=1`) answers with a body carrying the
response message id; op 8 member requests get a GUILD_MEMBERS_CHUNK; privileged intents that the
application has not enabled close the socket with 4014; a 429 carries `Via` and rate-limit headers.
Every REST call is recorded for assertions; tests wait on conditions, never sleep.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.discord import payloads as p
from tests.fakes.discord.community import MemberActionsMixin
from tests.fakes.discord.gateway import GatewayMixin
from tests.fakes.discord.gatherings import GatheringsMixin
from tests.fakes.discord.oauth import OAuthMixin

EPHEMERAL = 1 << 6


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    files: list[str] = field(default_factory=list)
    status: int = 200


CALL = web.RequestKey("call", Call)


NAME = re.compile(r"^[-_\w]{1,32}$")


def command_problems(commands: list[dict[str, Any]]) -> list[str]:
    """The documented limits of application commands that a bulk overwrite is checked against."""
    problems: list[str] = []

    def check(item: dict[str, Any], where: str, depth: int) -> None:
        name = item.get("name", "")
        if not NAME.match(name) or name != name.lower():
            problems.append(f"{where}: bad name {name!r}")
        description = item.get("description", "")
        if not 1 <= len(description) <= 100:
            problems.append(f"{where}: description length {len(description)}")
        for locale, text in (item.get("description_localizations") or {}).items():
            if not 1 <= len(text) <= 100:
                problems.append(f"{where}: {locale} description length {len(text)}")
        options = item.get("options") or []
        if len(options) > 25:
            problems.append(f"{where}: {len(options)} options")
        names = [o["name"] for o in options]
        if len(set(names)) != len(names):
            problems.append(f"{where}: duplicate option names")
        leaves = [o for o in options if o.get("type") not in (1, 2)]
        required = [bool(o.get("required")) for o in leaves]
        if required != sorted(required, reverse=True):
            problems.append(f"{where}: required options must come first")
        if leaves and len(leaves) != len(options):
            problems.append(f"{where}: subcommands mixed with options")
        if len(options) - len(leaves) and depth >= 2:
            problems.append(f"{where}: nested too deep")
        for option in options:
            if len(option.get("choices") or []) > 25:
                problems.append(f"{where}.{option['name']}: too many choices")
            check(option, f"{where}.{option['name']}", depth + 1)

    if len(commands) > 100:
        problems.append(f"{len(commands)} commands")
    for command in commands:
        check(command, command.get("name", "?"), 0)
    return problems


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class FakeDiscord(GatewayMixin, MemberActionsMixin, OAuthMixin, GatheringsMixin):
    def __init__(
        self, *, members_intent_enabled: bool = True, content_intent_enabled: bool = False
    ):
        self.members_intent_enabled = members_intent_enabled
        self.content_intent_enabled = content_intent_enabled
        self.valid_token: str | None = None
        """When set, REST calls with another bot token get 401 (any token passes otherwise)."""
        self._ids = itertools.count(1_300_000_000_000_000_001)
        self.application_id = self.new_id()
        self.bot = p.user(self.application_id, "Plein", bot=True)
        self.guild_id = self.new_id()
        self.owner = p.user(self.new_id(), "Owner")
        self.roles: dict[str, dict[str, Any]] = {
            self.guild_id: p.role(self.guild_id, "@everyone", 0, permissions=1 << 31)
        }
        self.channels: dict[str, dict[str, Any]] = {}
        self._gatherings_init()
        self._shards_init()
        self.members: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.recent_nonces: dict[tuple[str, str], str] = {}
        """(author, nonce) -> message id, for enforce_nonce; `nonce_window_passes` forgets them."""
        self.dm_channels: dict[str, dict[str, Any]] = {}
        self.closed_dms: set[str] = set()
        self.calls: list[Call] = []
        self.commands: list[dict[str, Any]] = []
        self.interactions: dict[str, dict[str, Any]] = {}
        self.callbacks: dict[str, dict[str, Any]] = {}
        self.originals: dict[str, str] = {}
        self._rate_limits: list[list[Any]] = []
        self._holds: list[tuple[str, str, asyncio.Event]] = []
        self.held: list[Call] = []
        self.identifies = 0
        self.resumes = 0
        self.chunk_requests = 0
        self.close_codes: list[int] = []
        self._ws: web.WebSocketResponse | None = None
        self._gateway_open = asyncio.Event()
        self._gateway_open.set()
        self.held_connections = 0
        self.init_oauth()
        """Reconnects kept waiting for HELLO during `close_gateway`."""
        self._session: str | None = None
        self._seq = 0
        self._history: list[dict[str, Any]] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        for name in ("algemeen", "welkom", "bestuur", "voorstellen", "doe-mee"):
            self.add_channel(name)
        for name in ("Lid", "Bestuur", "Nieuwkomer"):
            self.add_role(name)
        self.add_member("Owner", usr=self.owner)
        self.add_member("Plein", usr=self.bot)

    # ---- setup ------------------------------------------------------------------------------

    def new_id(self) -> str:
        return str(next(self._ids))

    def add_channel(self, name: str) -> str:
        ident = self.new_id()
        self.channels[ident] = p.text_channel(ident, self.guild_id, name, len(self.channels))
        return ident

    def add_role(self, name: str) -> str:
        ident = self.new_id()
        self.roles[ident] = p.role(ident, name, len(self.roles))
        return ident

    def add_member(
        self,
        name: str,
        *,
        roles: list[str] | None = None,
        pending: bool = False,
        usr: dict | None = None,
        joined_at: str = p.TIMESTAMP,
    ) -> dict[str, Any]:
        usr = usr or p.user(self.new_id(), name)
        role_ids = [self.role_id(r) for r in roles or []]
        self.members[usr["id"]] = p.member(usr, roles=role_ids, pending=pending)
        self.members[usr["id"]]["joined_at"] = joined_at
        return usr

    def populate(self, count: int, joined_at: str = "2024-05-01T12:00:00.000000+00:00") -> None:
        """An existing community: `count` members who joined long before Plein came."""
        template = p.member(p.user("0", "x"))
        for n in range(count):
            usr = p.user(self.new_id(), f"lid{n:05d}")
            self.members[usr["id"]] = {
                **template,
                "user": usr,
                "roles": [],
                "joined_at": joined_at,
            }

    def channel_id(self, name: str) -> str:
        return next(i for i, c in self.channels.items() if c.get("name") == name)

    def role_id(self, name: str) -> str:
        return next(i for i, r in self.roles.items() if r["name"] == name)

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/gateway", self._gateway)
        r = app.router
        self.add_oauth_routes(r)
        r.add_get("/api/v10/users/@me", self._me)
        r.add_get("/api/v10/gateway/bot", self._gateway_bot)
        r.add_get("/api/v10/oauth2/applications/@me", self._application)
        r.add_get("/api/v10/applications/@me", self._application)
        r.add_put("/api/v10/applications/{app}/guilds/{guild}/commands", self._put_commands)
        r.add_put("/api/v10/applications/{app}/commands", self._put_commands)
        r.add_get("/api/v10/applications/{app}/guilds/{guild}/commands", self._get_commands)
        r.add_get("/api/v10/applications/{app}/commands", self._get_commands)
        r.add_get("/api/v10/users/@me/guilds", self._my_guilds)
        r.add_get("/api/v10/guilds/{guild}/channels", self._guild_channels)
        r.add_get("/api/v10/guilds/{guild}/roles", self._guild_roles)
        r.add_post("/api/v10/users/@me/channels", self._open_dm)
        r.add_post("/api/v10/channels/{channel}/messages", self._create_message)
        r.add_patch("/api/v10/channels/{channel}/messages/{message}", self._edit_message)
        r.add_post("/api/v10/channels/{channel}/messages/{message}/threads", self._open_thread)
        self.add_gathering_routes(r, lambda request: request[CALL].json)
        r.add_put(
            "/api/v10/channels/{channel}/messages/{message}/reactions/{emoji}/@me", self._no_content
        )
        r.add_put("/api/v10/guilds/{guild}/members/{user}/roles/{role}", self._role)
        r.add_delete("/api/v10/guilds/{guild}/members/{user}/roles/{role}", self._role)
        r.add_get("/api/v10/guilds/{guild}/members/{user}", self._get_member)
        r.add_post("/api/v10/interactions/{id}/{token}/callback", self._callback)
        r.add_post("/api/v10/webhooks/{app}/{token}", self._followup)
        r.add_patch("/api/v10/webhooks/{app}/{token}/messages/@original", self._edit_original)
        r.add_delete("/api/v10/webhooks/{app}/{token}/messages/@original", self._no_content)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for _, _, release in self._holds:
            release.set()
        for ws in [self._ws, *self.shard_sockets.values()]:
            if ws is not None and not ws.closed:
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- waiting ----------------------------------------------------------------------------

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], within: float = 5.0) -> Any:
        """Wait until predicate() is truthy (re-checked after every call and gateway frame)."""

        async def check() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(check(), within)

    def calls_to(self, method: str, fragment: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and fragment in c.path]

    # ---- 429 --------------------------------------------------------------------------------

    def rate_limit(
        self, method: str, fragment: str, times: int = 1, retry_after: float = 0.01
    ) -> None:
        """The next `times` matching requests get a real-looking 429 (with `Via`)."""
        self._rate_limits.append([method, fragment, times, retry_after])

    def _limited(self, request: web.Request) -> web.Response | None:
        for rule in self._rate_limits:
            method, fragment, times, retry_after = rule
            if times > 0 and request.method == method and fragment in request.path:
                rule[2] -= 1
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after,
                        "global": False,
                    },
                    status=429,
                    headers={
                        "Via": "1.1 google",
                        "Retry-After": "1",
                        "X-RateLimit-Limit": "5",
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset-After": str(retry_after),
                        "X-RateLimit-Bucket": "fakebucket",
                        "X-RateLimit-Scope": "user",
                    },
                )
        return None

    # ---- a slow Discord ----------------------------------------------------------------------

    def hold(self, method: str, fragment: str) -> asyncio.Event:
        """Matching requests wait (unanswered) until the returned event is set."""
        release = asyncio.Event()
        self._holds.append((method, fragment, release))
        return release

    async def _held(self, request: web.Request, call: Call) -> None:
        for method, fragment, release in self._holds:
            if request.method == method and fragment in request.path and not release.is_set():
                self.held.append(call)
                await self._notify()
                await release.wait()

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        call = Call(
            request.method,
            request.path.removeprefix("/api/v10"),
            dict(request.query),
            dict(request.headers),
        )
        if request.content_type == "application/json" and request.can_read_body:
            call.json = await request.json()
        elif request.content_type == "multipart/form-data":
            form = await request.post()
            call.json = json.loads(str(form.get("payload_json", "{}")))
            call.files = [v.filename for k, v in form.items() if k.startswith("files[")]  # type: ignore[union-attr]
        request[CALL] = call
        if self.valid_token is not None and call.headers.get("Authorization") != (
            f"Bot {self.valid_token}"
        ):
            call.status = 401
            self.calls.append(call)
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        await self._held(request, call)
        limited = self._limited(request)
        response = limited if limited is not None else await handler(request)
        call.status = response.status
        self.calls.append(call)
        await self._notify()
        return response

    # ---- REST -------------------------------------------------------------------------------

    async def _me(self, request: web.Request) -> web.Response:
        grant = self.bearer_grant(request)
        if grant is None:
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        return _json(self.oauth_me(grant) if grant else self.bot)

    async def _no_content(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": self.application_id,
                "name": "Plein",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self.owner,
                "verify_key": "0" * 64,
                "flags": (1 << 15 if self.members_intent_enabled else 0)
                | (1 << 19 if self.content_intent_enabled else 0),
                "team": None,
            }
        )

    async def _put_commands(self, request: web.Request) -> web.Response:
        body = request[CALL].json
        problems = command_problems(body)
        if problems:  # Discord rejects the whole bulk overwrite: 400, code 50035
            return _json(
                {"message": "Invalid Form Body", "code": 50035, "errors": problems}, status=400
            )
        self.commands = [
            {**c, "id": self.new_id(), "application_id": self.application_id, "version": "1"}
            for c in body
        ]
        return _json(self.commands)

    async def _get_commands(self, request: web.Request) -> web.Response:
        return _json(self.commands)

    async def _my_guilds(self, request: web.Request) -> web.Response:
        grant = self.bearer_grant(request)
        if grant is None:
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        if grant:
            guilds = self.oauth_guilds(grant)
            if guilds is None:  # the token lacks the guilds scope
                return _json({"message": "Missing Access", "code": 50001}, status=403)
            return _json(guilds)
        guild = {"id": self.guild_id, "name": "Fake", "icon": None, "owner": False}
        return _json([{**guild, "permissions": "0", "features": []}])

    async def _guild_channels(self, request: web.Request) -> web.Response:
        if request.match_info["guild"] != self.guild_id:
            return _json({"message": "Unknown Guild", "code": 10004}, status=404)
        return _json([c for c in self.channels.values() if c.get("type") not in (11, 12)])

    async def _guild_roles(self, request: web.Request) -> web.Response:
        if request.match_info["guild"] != self.guild_id:
            return _json({"message": "Unknown Guild", "code": 10004}, status=404)
        return _json(list(self.roles.values()))

    async def _open_dm(self, request: web.Request) -> web.Response:
        recipient = request[CALL].json["recipient_id"]
        recipient = str(recipient)
        if recipient not in self.dm_channels:
            ident = self.new_id()
            usr = self.members.get(recipient, {}).get("user") or p.user(recipient, "someone")
            self.dm_channels[recipient] = {
                "id": ident,
                "type": 1,
                "last_message_id": None,
                "recipients": [usr],
                "flags": 0,
            }
        return _json(self.dm_channels[recipient])

    def dm_messages(self, user_id: str) -> list[dict[str, Any]]:
        """What the bot sent this member in DM, oldest first."""
        channel = self.dm_channel_of(user_id)
        return [
            m
            for m in self.messages.values()
            if m["channel_id"] == channel and m["author"]["id"] == self.bot["id"]
        ]

    def nonce_window_passes(self) -> None:
        """Discord's "past few minutes" (no exact figure is published) are over: a repeated
        nonce creates a new message again."""
        self.recent_nonces.clear()

    def dm_channel_of(self, user_id: str) -> str | None:
        channel = self.dm_channels.get(user_id)
        return channel["id"] if channel else None

    def _store_message(
        self, channel_id: str, call: Call, flags: int = 0, ident: str | None = None
    ) -> dict[str, Any]:
        body = call.json or {}
        guild_id = self.guild_id if channel_id in self.channels else None
        data = p.message(
            ident or self.new_id(),
            channel_id,
            self.bot,
            body.get("content") or "",
            guild_id=guild_id,
            components=body.get("components"),
            attachments=[
                {
                    "id": self.new_id(),
                    "filename": name,
                    "size": 1,
                    "url": "https://cdn/x",
                    "proxy_url": "https://cdn/x",
                }
                for name in call.files
            ],
            flags=flags | int(body.get("flags") or 0),
        )
        self.messages[data["id"]] = data
        return data

    async def _create_message(self, request: web.Request) -> web.Response:
        channel_id = request.match_info["channel"]
        recipient = next((u for u, c in self.dm_channels.items() if c["id"] == channel_id), None)
        if recipient is not None and recipient in self.closed_dms:
            return _json(
                {"message": "Cannot send messages to this user", "code": 50007}, status=403
            )
        if channel_id not in self.channels and recipient is None:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        body = request[CALL].json or {}
        nonce = body.get("nonce")
        if nonce and body.get("enforce_nonce"):
            # "If another message was created by the same author with the same nonce, that
            # message will be returned and no new message will be created" (within minutes)
            earlier = self.recent_nonces.get((self.bot["id"], str(nonce)))
            if earlier in self.messages:
                return _json(self.messages[earlier])
        data = self._store_message(channel_id, request[CALL])
        if nonce:
            data["nonce"] = nonce
            self.recent_nonces[(self.bot["id"], str(nonce))] = data["id"]
        await self.dispatch("MESSAGE_CREATE", data)
        return _json(data)

    async def _edit_message(self, request: web.Request) -> web.Response:
        data = self.messages.get(request.match_info["message"])
        if data is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        body = request[CALL].json or {}
        for key in ("content", "components"):
            if key in body:
                data[key] = (
                    body[key] if body[key] is not None else ([] if key == "components" else "")
                )
        data["edited_timestamp"] = p.TIMESTAMP
        return _json(data)

    async def _open_thread(self, request: web.Request) -> web.Response:
        parent, message_id = request.match_info["channel"], request.match_info["message"]
        name = (request[CALL].json or {}).get("name", "")
        data = p.thread(message_id, self.guild_id, parent, self.bot["id"], name)
        self.channels[message_id] = data
        await self.dispatch("THREAD_CREATE", data)
        return _json({k: v for k, v in data.items() if k != "newly_created"})

    async def _role(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["user"])
        role = request.match_info["role"]
        if member is None:
            return _json({"message": "Unknown Member", "code": 10007}, status=404)
        if request.method == "PUT" and role not in member["roles"]:
            member["roles"].append(role)
        elif request.method == "DELETE" and role in member["roles"]:
            member["roles"].remove(role)
        await self.dispatch("GUILD_MEMBER_UPDATE", {**member, "guild_id": self.guild_id})
        return web.Response(status=204)

    async def _get_member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["user"])
        if member is None or request.match_info["guild"] != self.guild_id:
            return _json({"message": "Unknown Member", "code": 10007}, status=404)
        return _json(member)

    async def _callback(self, request: web.Request) -> web.Response:
        ident = request.match_info["id"]
        call: Call = request[CALL]
        interaction = self.interactions.get(ident)
        if interaction is None or interaction["token"] != request.match_info["token"]:
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        if ident in self.callbacks:
            return _json(
                {"message": "Interaction has already been acknowledged.", "code": 40060}, status=400
            )
        body = call.json or {}
        self.callbacks[ident] = body
        kind = body.get("type")
        data = body.get("data") or {}
        info: dict[str, Any] = {"id": ident, "type": interaction["type"]}
        result: dict[str, Any] = {"interaction": info}
        if kind in (4, 5):
            ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
            stored = self._store_message(
                interaction["channel_id"],
                Call("", "", {}, {}, json=data, files=call.files),
                flags=(EPHEMERAL if ephemeral else 0) | (128 if kind == 5 else 0),
            )
            self.originals[interaction["token"]] = stored["id"]
            info.update(
                response_message_id=stored["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=ephemeral,
            )
            result["resource"] = {"type": kind, "message": stored}
        elif kind in (6, 7):
            result["resource"] = {"type": kind}
        if request.query.get("with_response") in ("1", "true"):
            return _json(result)
        return web.Response(status=204)

    async def _followup(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        interaction = next((i for i in self.interactions.values() if i["token"] == token), None)
        if interaction is None:
            return _json({"message": "Unknown Webhook", "code": 10015}, status=404)
        data = self._store_message(interaction["channel_id"], request[CALL])
        return _json(data)

    async def _edit_original(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        ident = self.originals.get(token)
        if ident is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        data = self.messages[ident]
        body = request[CALL].json or {}
        for key in ("content", "components"):
            if key in body:
                data[key] = body[key] or ([] if key == "components" else "")
        data["flags"] = int(data.get("flags") or 0) & ~128
        return _json(data)
