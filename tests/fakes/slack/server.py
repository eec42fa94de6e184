"""A fake Slack: the Web API methods Plein calls, response_url hooks, file upload URLs and a
Socket Mode websocket, on 127.0.0.1 (port 0). Every call is recorded for assertions.

It answers the way Slack does: `{"ok": true, ...}` JSON with HTTP 200, `{"ok": false,
"error": ...}` for refusals, arguments as JSON, form fields or query string, the token in the
Authorization header.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from adapters.slack.manifest import BASE_SCOPES
from tests.fakes.slack.openid import OpenIDMixin

BOT_TOKEN = "xoxb-fake-bot-token-0001"
APP_TOKEN = "xapp-fake-app-token-0001"
SIGNING_SECRET = "fake-signing-secret-0123456789abcdef"
BOT_USER = "UBOTPLEIN"
BOT_ID = "BPLEIN01"
TEAM = "T111"
JSON_KEYS = ("blocks", "view", "files", "attachments", "metadata")


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    result: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.args[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.args.get(key, default)

    def text(self) -> str:
        """The message text, as a member would read it (text + button labels)."""
        parts = [str(self.args.get("text", ""))]
        for block in self.args.get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("type") == "button":
                    parts.append(f"[{element['text']['text']}]")
        return " ".join(parts)

    def buttons(self) -> list[dict[str, Any]]:
        return [
            element
            for block in self.args.get("blocks") or []
            for element in block.get("elements") or []
            if element.get("type") == "button"
        ]


@dataclass
class FakeSlack(OpenIDMixin):
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    """id -> name"""
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    dm_refused: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    connections: int = 0
    port: int = 0
    rate_limited: dict[str, set[int]] = field(default_factory=dict)
    """method -> which of its calls (1-based) get HTTP 429 + Retry-After, as Slack's tiers do."""
    retry_after: int = 1
    channel_members: dict[str, list[str]] = field(default_factory=dict)
    """channel id -> member ids, for conversations.members."""
    scopes: list[str] = field(default_factory=lambda: [*BASE_SCOPES, "usergroups:read"])
    """The bot token's granted scopes, sent in the `x-oauth-scopes` header as Slack does."""
    mpims: dict[str, str] = field(default_factory=dict)
    """Multi-person DMs opened by conversations.open: sorted user ids -> channel id."""
    not_member: set[str] = field(default_factory=set)
    """Channel ids Plein has not been invited to (conversations.info says is_member false)."""
    server_errors: dict[str, set[int]] = field(default_factory=dict)
    """method -> which of its calls (1-based) get HTTP 500 having done nothing."""
    server_errors_after: dict[str, set[int]] = field(default_factory=dict)
    """method -> which of its calls get HTTP 500 after doing their work (a post that exists)."""
    stalled: set[str] = field(default_factory=set)
    """Methods that answer only after `unstall()`: a platform that is slow to respond."""

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._unstalled = asyncio.Event()
        self._changed = asyncio.Condition()
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.init_openid()
        self.add_user(BOT_USER, "plein", is_bot=True)

    # ---- setup ------------------------------------------------------------------------------

    def add_user(
        self,
        user: str,
        name: str,
        *,
        is_bot: bool = False,
        updated: int = 1700000000,
        is_admin: bool = False,
        is_owner: bool = False,
    ) -> dict[str, Any]:
        if user in self.users:
            return self.users[user]
        self.users[user] = {
            "id": user,
            "team_id": TEAM,
            "name": name.lower(),
            "real_name": name,
            "is_bot": is_bot,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "deleted": False,
            "profile": {"display_name": name, "real_name": name},
            "updated": updated,
        }
        return self.users[user]

    def unstall(self) -> None:
        """Answer the stalled calls (and every later one)."""
        self.stalled.clear()
        self._unstalled.set()

    def add_channel(self, channel: str, name: str) -> None:
        self.channels[channel] = name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    async def start(self) -> FakeSlack:
        """Serve on a free port; already serving: nothing to do (a test may start the fake
        before the run, to know its URLs)."""
        if self._runner is not None:
            return self
        app = web.Application()
        self.add_openid_routes(app.router)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/hooks/{hook}", self._hook)
        app.router.add_post("/upload/{file}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---- assertions -------------------------------------------------------------------------

    def calls_to(self, method: str, **match: Any) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and all(c.args.get(k) == v for k, v in match.items())
        ]

    def api_calls(self, *, ignore: tuple[str, ...] = ()) -> list[Call]:
        return [c for c in self.calls if c.method not in ignore]

    async def wait_for(
        self, predicate: Callable[[], Any], within: float = 5.0, what: str = "condition"
    ) -> Any:
        async def waiter() -> Any:
            async with self._changed:
                while not (result := predicate()):
                    await self._changed.wait()
                return result

        try:
            return await asyncio.wait_for(waiter(), within)
        except TimeoutError:
            methods = [c.method for c in self.calls]
            raise AssertionError(f"timed out waiting for {what}; calls: {methods}") from None

    async def wait_for_call(self, method: str, count: int = 1, **match: Any) -> list[Call]:
        return await self.wait_for(
            lambda: len(self.calls_to(method, **match)) >= count and self.calls_to(method, **match),
            what=f"{count}x {method} {match}",
        )

    async def _record(self, call: Call) -> None:
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()

    # ---- Web API ----------------------------------------------------------------------------

    async def _arguments(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        for key in JSON_KEYS:
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._arguments(request)
        if method in self.stalled:
            await self._unstalled.wait()
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        call = Call(method, args, token)
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        handler = getattr(self, "m_" + method.replace(".", "_"), None)
        nth = sum(1 for c in self.calls if c.method == method) + 1
        if token == expected and nth in self.rate_limited.get(method, set()):
            call.result = {"ok": False, "error": "ratelimited"}
            await self._record(call)
            return web.json_response(
                call.result, status=429, headers={"Retry-After": str(self.retry_after)}
            )
        if token == expected and nth in self.server_errors.get(method, set()):
            return await self._server_error(call)
        if token != expected:
            body: dict[str, Any] = {"ok": False, "error": "invalid_auth"}
        elif handler is None:
            body = {"ok": False, "error": "unknown_method"}
        else:
            result = handler(args)
            body = result if "ok" in result else {"ok": True, **result}
        if token == expected and nth in self.server_errors_after.get(method, set()):
            return await self._server_error(call)
        call.result = body
        await self._record(call)
        headers = {"x-oauth-scopes": ",".join(self.scopes)} if token == BOT_TOKEN else {}
        return web.json_response(body, headers=headers)

    async def _server_error(self, call: Call) -> web.Response:
        """What Slack's edge answers when it has trouble: 500 and no JSON verdict."""
        call.result = {"ok": False, "error": "http_500"}
        await self._record(call)
        return web.Response(status=500, text="Internal Server Error")

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://fake.slack.com/", "team": "Fake", "user": "plein",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}  # fmt: skip

    def m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket?ticket={uuid.uuid4()}"}

    def m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        if (
            channel not in self.channels
            and not channel.startswith("D")
            and (channel not in self.mpims.values())
        ):
            return {"ok": False, "error": "channel_not_found"}
        ts = self._next_ts()
        message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": ts,
                   "text": args.get("text", ""), "blocks": args.get("blocks") or []}  # fmt: skip
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if args.get("metadata"):
            message["metadata"] = args["metadata"]
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": message}

    def m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        """As Slack documents it: the workspace's archive URL of an existing message (a thread
        reply's with thread_ts and cid); channel_not_found / message_not_found otherwise. The
        fake knows the messages posted through its API."""
        channel, ts = args.get("channel", ""), args.get("message_ts", "")
        if channel not in self.channels and not channel.startswith("D"):
            return {"ok": False, "error": "channel_not_found"}
        message = self.messages.get((channel, ts))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        link = f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        if message.get("thread_ts") and message["thread_ts"] != ts:
            link += f"?thread_ts={message['thread_ts']}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (args.get("channel", ""), args.get("ts", ""))
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        self.messages[key].update(text=args.get("text", ""), blocks=args.get("blocks") or [])
        return {"channel": key[0], "ts": key[1], "text": args.get("text", "")}

    def m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = args.get("users", "")
        if "," in user:
            return self._open_mpim(user.split(","))
        if user in self.dm_refused:
            return {"ok": False, "error": "cannot_dm_bot"}
        if user not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"channel": {"id": "D" + user}}

    def _open_mpim(self, users: list[str]) -> dict[str, Any]:
        """A multi-person DM, as documented: 2 to 8 users, one id per set of users (ordering
        preserved), `not_enough_users` / `too_many_users` otherwise."""
        if len(users) < 2:
            return {"ok": False, "error": "not_enough_users"}
        if len(users) > 8:
            return {"ok": False, "error": "too_many_users"}
        if any(u not in self.users for u in users):
            return {"ok": False, "error": "user_not_found"}
        key = ",".join(sorted(users))
        channel = self.mpims.setdefault(key, f"G{len(self.mpims) + 1:08d}")
        return {"channel": {"id": channel}}

    def m_conversations_list(self, args: dict[str, Any]) -> dict[str, Any]:
        channels = [
            {"id": cid, "name": name, "is_channel": True} for cid, name in self.channels.items()
        ]
        return {"channels": channels, "response_metadata": {"next_cursor": ""}}

    def m_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        if channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        name, member = self.channels[channel], channel not in self.not_member
        return {"channel": {"id": channel, "name": name, "is_channel": True, "is_member": member}}

    def m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel", "")
        if args.get("latest"):
            message = self.messages.get((channel, args["latest"]))
            return {"messages": [message] if message else [], "has_more": False}
        found = [m for (c, _), m in self.messages.items() if c == channel and "thread_ts" not in m]
        return self._newest(found, args)

    def m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, parent = args.get("channel", ""), args.get("ts", "")
        found = [
            m for (c, ts), m in self.messages.items()
            if c == channel and (ts == parent or m.get("thread_ts") == parent)
        ]  # fmt: skip
        oldest_first = sorted(found, key=lambda m: float(m["ts"]))  # as Slack pages a thread
        return {"messages": oldest_first[: int(args.get("limit") or 100)], "has_more": False}

    @staticmethod
    def _newest(messages: list[dict[str, Any]], args: dict[str, Any]) -> dict[str, Any]:
        """Newest first, `limit` of them; metadata only with include_all_metadata, as Slack."""
        newest = sorted(messages, key=lambda m: float(m["ts"]), reverse=True)
        page = newest[: int(args.get("limit") or 100)]
        if str(args.get("include_all_metadata")).lower() not in ("true", "1"):
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        return {"messages": page, "has_more": len(newest) > len(page)}

    def m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not str(args.get("trigger_id", "")).endswith(".valid"):
            return {"ok": False, "error": "expired_trigger_id"}
        view = args.get("view") or {}
        return {"view": {**view, "id": "V" + uuid.uuid4().hex[:8].upper()}}

    def m_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        return {}

    def m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(args.get("user", ""))
        return {"user": user} if user else {"ok": False, "error": "user_not_found"}

    @staticmethod
    def _page(items: list[Any], args: dict[str, Any]) -> tuple[list[Any], str]:
        """Cursor pagination like Slack's: an opaque cursor, `limit` items a page (max 1000)."""
        start = int(args.get("cursor") or 0)
        limit = min(int(args.get("limit") or 100), 1000)
        end = start + limit
        return items[start:end], str(end) if end < len(items) else ""

    def m_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        page, cursor = self._page(list(self.users.values()), args)
        slackbot = {"id": "USLACKBOT", "name": "slackbot", "deleted": False, "is_bot": False}
        if not args.get("cursor"):
            page = [slackbot, *page]  # Slack lists Slackbot with is_bot false
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def m_conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        members = self.channel_members.get(args.get("channel", ""))
        if members is None:
            return {"ok": False, "error": "channel_not_found"}
        page, cursor = self._page(members, args)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def m_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = args.get("usergroup", "")
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"users": self.usergroups[group]}

    def m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = "F" + uuid.uuid4().hex[:8].upper()
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "files": [{"id": f["id"], "title": f.get("title", "")} for f in args.get("files", [])]
        }

    def m_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"file": {"id": args.get("file", "")}}

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        await self._record(
            Call("upload", {"file": request.match_info["file"], "size": len(data)}, None)
        )
        return web.Response(text="OK - " + str(len(data)))

    async def _hook(self, request: web.Request) -> web.Response:
        args = await request.json()
        await self._record(Call("response_url", {"hook": request.match_info["hook"], **args}, None))
        return web.Response(text="ok")

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.url}/hooks/{name}-{uuid.uuid4().hex[:6]}"

    # ---- Socket Mode ------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        self.connections += 1
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600},
                            "connection_info": {"app_id": "A111"}})  # fmt: skip
        async with self._changed:
            self._changed.notify_all()
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    ack = json.loads(message.data)
                    self.acks[ack.get("envelope_id", "")] = ack
                    async with self._changed:
                        self._changed.notify_all()
        finally:
            self._sockets.remove(ws)
            async with self._changed:
                self._changed.notify_all()
        return ws

    @property
    def sockets(self) -> list[web.WebSocketResponse]:
        return [ws for ws in self._sockets if not ws.closed]

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """What Slack sends before it rotates a Socket Mode connection."""
        await self._sockets[-1].send_json({"type": "disconnect", "reason": reason,
                                           "debug_info": {"host": "fake"}})  # fmt: skip

    async def wait_connected(self) -> None:
        await self.wait_for(lambda: self._sockets, what="a Socket Mode connection")

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], *, retry_attempt: int | None = None
    ) -> dict[str, Any]:
        """Push one envelope over the socket; return the app's ack."""
        envelope_id = await self.push_envelope(kind, payload, retry_attempt=retry_attempt)
        return await self.wait_for(lambda: self.acks.get(envelope_id), what="an envelope ack")

    async def push_envelope(
        self, kind: str, payload: dict[str, Any], *, retry_attempt: int | None = None
    ) -> str:
        """Push one envelope without waiting for its ack (a burst); returns its envelope id."""
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt or 0
            envelope["retry_reason"] = "timeout" if retry_attempt else ""
        await self.sockets[-1].send_json(envelope)
        return envelope_id
