"""The Slack adapter: a slack-bolt AsyncApp in Socket Mode or HTTP mode.

Every listener stores the request in the durable inbox (bot/inbox.py), then acks (Slack wants an
answer within 3 s), then hands the work to a task the adapter tracks, so `stop()` and tests can
wait for it. When the inbox cannot write, the listener raises before acking: HTTP mode answers
500 and Socket Mode sends no ack, so Slack delivers again later. A retry of a stored event is
acked and dropped. At start, requests acknowledged but not yet processed are processed first.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from datetime import datetime
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.help import command_rewriter, help_text
from adapters.slack.links import permalink
from adapters.slack.members import SlackMemberList
from adapters.slack.outgoing import Outgoing
from adapters.slack.platform import SlackPlatform
from adapters.slack.rate_limits import RateLimitCounter
from adapters.slack.server import EventsForwarder, Mount, make_events_handler, start_http
from adapters.slack.translate import (
    OPEN_FORM_ACTION,
    Context,
    Incoming,
    OpenFormClicked,
    SlashCommand,
    member_id,
    parse_member_token,
    translate_action,
    translate_command,
    translate_event,
    translate_view_submission,
    user_of,
    users_in,
)
from adapters.slack.work import WorkQueue
from bot.actions import Action, Delivery, ListMembers, OpenForm, Reply
from bot.command_words import CommandWords
from bot.commands import UsageError, parse_command_text
from bot.config import PleinConfig
from bot.events import CommandInvoked, Event, Member
from bot.host import Host, PlatformUnavailable
from bot.i18n import Translator
from bot.inbox import InboxEntry

log = logging.getLogger("plein.slack")


def busy() -> BoltResponse:
    """The work queue is full: not acknowledged, so Slack delivers it again later."""
    return BoltResponse(status=503, body="busy", headers={"Retry-After": "1"})


class SlackConfigError(PlatformUnavailable):
    pass


def retry_num(request: AsyncBoltRequest) -> int:
    """HTTP: X-Slack-Retry-Num; Socket Mode: bolt copies retry_attempt into the same header
    (and sets it to 0 on first deliveries), so only > 0 is a retry."""
    values = request.headers.get("x-slack-retry-num") or ["0"]
    try:
        return int(values[0])
    except ValueError:
        return 0


def inbox_key(kind: str, body: Mapping[str, Any]) -> str:
    """The event's own id (what Slack keeps on retries), else the interaction's trigger id."""
    if kind == "slack.event" and body.get("event_id"):
        return str(body["event_id"])
    trigger = body.get("trigger_id")
    if trigger:
        return f"{kind}:{trigger}"
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
    return f"{kind}:{digest}"


class SlackAdapter:
    name = "slack"

    def __init__(
        self,
        config: PleinConfig,
        *,
        ping_interval: float = 10.0,
        mount: Mount | None = None,
    ) -> None:
        """`mount`: Plein's web port; in HTTP mode the events path is served there (no server of
        the adapter's own). It must be mounted now, before that server starts."""
        self.config = config
        self.slack = config.slack
        self.forwarder: EventsForwarder | None = None
        if mount is not None and self.slack.mode == "http":
            self.forwarder = EventsForwarder()
            mount("POST", self.slack.path, self.forwarder.forward)
        self.t = Translator(config.community.language)
        token = self.slack.bot_token.get_secret_value() if self.slack.bot_token else None
        self.client = AsyncWebClient(
            token=token,
            base_url=self.slack.api_base_url,
            retry_handlers=[
                RateLimitCounter(self._rate_limited),
                AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            ],
        )
        managers = {user_of(m) for m in config.community.managers}
        self.platform = SlackPlatform(
            self.client,
            configured_channels=dict(self.slack.channels),
            manager_ids=managers,
            manager_usergroup=self.slack.manager_usergroup,
        )
        self.out = Outgoing(self.platform, self.t)
        # The member list honours 429s itself, on the host's clock (adapters/slack/members.py).
        self.member_client = AsyncWebClient(
            token=token,
            base_url=self.slack.api_base_url,
            retry_handlers=[
                RateLimitCounter(self._rate_limited),
                AsyncConnectionErrorRetryHandler(),
            ],
        )
        self.ping_interval = ping_interval
        self.host: Host | None = None
        self.http_port: int | None = None
        self.connected = asyncio.Event()
        self.errors: list[BaseException] = []
        self._stopping = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self.work = WorkQueue(self.slack.work_queue, self._failed)
        self._community_channel_id: str | None = None

    # ---- Gateway ----------------------------------------------------------------------------

    async def perform(self, action: Action) -> Delivery:
        if isinstance(action, ListMembers):
            self._spawn(self.sync_members(action.sync_id))
            return Delivery()
        if isinstance(action, Reply | OpenForm) or self.host is None:
            return await self.out.perform(action)
        return await self.out.perform(action, clock=self.host.clock)

    async def _first_sync(self) -> None:
        try:
            await self.sync_members()
        except Exception:
            log.exception("the start-up member sync failed; the daily sync will try again")

    async def sync_members(self, sync_id: str | None = None) -> None:
        """The workspace's members (or the community channel's) to the core's member sync."""
        host = self._host()
        channel = self._community_channel_id if self.slack.community_channel else None
        members = SlackMemberList(self.member_client, host.clock, self.platform.remember_name)
        count = await members.sync(host, channel, sync_id)
        log.info("listed %d Slack members", count)

    def mention(self, member: str) -> str:
        """A marker that `Outgoing.render` writes as <@U..> after escaping the member text."""
        return self.out.markers.user(user_of(member))

    def channel_mention(self, channel: str) -> str:
        channel_id = self.platform.known_channel_id(channel)
        return (
            self.out.markers.channel(channel_id) if channel_id else f"#{channel.removeprefix('#')}"
        )

    async def message_link(self, ref: str) -> str | None:
        """MessageLinks (bot/host.py): Slack's permalink (chat.getPermalink)."""
        return await permalink(self.client, ref)

    async def resolve_member(self, token: str) -> Member | None:
        parsed = parse_member_token(token)
        if parsed is None:
            return None
        user, typed_name = parsed
        name = await self.platform.user_name(user)
        if name is None:
            return None
        return Member(member_id(user), name or typed_name or user)

    # ---- running ----------------------------------------------------------------------------

    async def run(self, host: Host) -> None:
        self.host = host
        self._share_sessions()
        try:
            await self._run(host)
        finally:
            await self._close_sessions()

    async def _run(self, host: Host) -> None:
        host.metrics.watch_depth("slack_work_queue", lambda: self.work.depth)
        self.out.rewrite = command_rewriter(spec.path[0] for spec in host.commands.all())
        self._check_settings()
        await self.platform.authenticate()
        await self.platform.load_channels(force=True)
        community = self.slack.community_channel or self.config.community.default_channel
        self._community_channel_id = await self.platform.channel_id(community)
        app = self.build_app()
        await host.ready()
        await self._process_pending()
        closer = await self._connect(app)
        try:
            await self._first_sync()  # the community as it is, not only who joins later
            self.connected.set()  # as on Discord: connected and ready (the scheduler started)
            await self._stopping.wait()
        finally:
            await closer()
            self.work.stop()  # what waits stays in the inbox for the next start
            await self.idle()

    def _share_sessions(self) -> None:
        """One HTTP session (kept-alive connections) for the Web API clients: without it
        slack_sdk opens a session, and a TLS connection, for every call."""
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.client.timeout))
        self.client.session = session
        self.member_client.session = session

    async def _close_sessions(self) -> None:
        session = self.client.session
        self.client.session = self.member_client.session = None
        if session is not None:
            await session.close()

    async def _connect(self, app: AsyncApp) -> Any:
        if self.slack.mode == "socket":
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            assert self.slack.app_token is not None
            handler = AsyncSocketModeHandler(
                app,
                app_token=self.slack.app_token.get_secret_value(),
                web_client=self.client,
                ping_interval=self.ping_interval,
            )
            await handler.connect_async()
            log.info("connected to Slack in Socket Mode")
            return handler.close_async
        secret = self.slack.signing_secret
        signing_secret = secret.get_secret_value() if secret else ""
        healthy = lambda: self._host().healthy  # noqa: E731
        forwarder = self.forwarder
        if forwarder is not None:
            forwarder.handler = make_events_handler(
                app, signing_secret, healthy=healthy, events=self._event_path
            )
            log.info("Slack events on Plein's web port at %s", self.slack.path)

            async def unmount() -> None:
                forwarder.handler = None  # 503 again: Slack retries what comes after a stop

            return unmount
        runner, self.http_port = await start_http(
            app,
            self.slack.host,
            self.slack.port,
            self.slack.path,
            signing_secret=signing_secret,
            healthy=healthy,
            events=self._event_path,
        )
        log.info("Slack events server on %s:%s%s", self.slack.host, self.http_port, self.slack.path)
        return runner.cleanup

    def _rate_limited(self) -> None:
        if self.host is not None:
            self.host.metrics.rate_limited("slack")

    def _acked(self, received: float) -> None:
        """Slack wants the ack within 3 s; the inbox write before it is what takes time."""
        seconds = asyncio.get_running_loop().time() - received
        self._host().metrics.ack_latency("slack", seconds)

    def _check_settings(self) -> None:
        missing = []
        if self.slack.bot_token is None:
            missing.append("slack.bot_token (PLEIN_SLACK__BOT_TOKEN)")
        if self.slack.mode == "socket" and self.slack.app_token is None:
            missing.append("slack.app_token (PLEIN_SLACK__APP_TOKEN) for Socket Mode")
        if self.slack.mode == "http" and self.slack.signing_secret is None:
            missing.append("slack.signing_secret (PLEIN_SLACK__SIGNING_SECRET) for HTTP mode")
        if missing:
            raise SlackConfigError("missing Slack settings: " + ", ".join(missing))

    async def stop(self) -> None:
        self._stopping.set()

    async def idle(self) -> None:
        """Wait until every piece of work handed off after an ack is done."""
        while self._tasks or self.work.depth:
            await self.work.idle()
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
            await asyncio.sleep(0)  # a request still being stored gives its place back

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            assert error is not None
            self._failed(error)

    def _failed(self, error: BaseException) -> None:
        self.errors.append(error)
        log.error("Slack handler failed", exc_info=error)

    # ---- bolt -------------------------------------------------------------------------------

    def build_app(self) -> AsyncApp:
        secret = self.slack.signing_secret
        app = AsyncApp(
            client=self.client,
            signing_secret=secret.get_secret_value() if secret else "",
            process_before_response=True,
            request_verification_enabled=self.slack.mode == "http",
            logger=logging.getLogger("plein.slack.bolt"),
        )
        app.event(re.compile(".*"))(self._on_event)
        app.command("/plein")(self._on_command)
        app.action(re.compile(".*"))(self._on_action)
        app.view(re.compile(".*"))(self._on_view)
        self._share_identity(app)
        return app

    def _share_identity(self, app: AsyncApp) -> None:
        """Bolt calls auth.test on the first request and caches it; a burst at start (Slack
        redelivering after downtime) would make every concurrent request call it. Plein already
        has the answer: bolt's single-team authorization gets it up front."""
        identity = self.platform.identity
        for middleware in getattr(app, "_async_middleware_list", ()):
            if isinstance(middleware, AsyncSingleTeamAuthorization) and identity is not None:
                middleware.auth_test_result = identity

    async def _on_event(
        self, ack: Any, body: dict[str, Any], request: AsyncBoltRequest
    ) -> BoltResponse | None:
        received = asyncio.get_running_loop().time()
        if not self.work.reserve():
            return busy()  # not acked: Slack delivers the event again later
        key = await self._store("slack.event", body)
        await ack()
        self._acked(received)
        if key is None:
            log.info(
                "Slack retry of %s dropped (attempt %s)", body.get("event_id"), retry_num(request)
            )
            return None
        self.work.run(self._process(key, self._handle_event, body))
        return None

    async def _event_path(self, body: dict[str, Any], text: str, retry: int) -> web.Response:
        """HTTP mode's way for events past bolt (adapters/slack/server.py): as `_on_event`; the
        inbox keeps the request's own JSON text."""
        received = asyncio.get_running_loop().time()
        if not self.work.reserve():
            return web.Response(status=503, text="busy", headers={"Retry-After": "1"})
        try:
            key = await self._store("slack.event", body, text)
        except Exception as error:
            log.error("not acknowledged, Slack will retry: %s", error)
            return web.Response(status=500)
        self._acked(received)
        if key is None:
            log.info("Slack retry of %s dropped (attempt %s)", body.get("event_id"), retry)
        else:
            self.work.run(self._process(key, self._handle_event, body))
        return web.Response(status=200)

    async def _on_command(self, ack: Any, body: dict[str, Any]) -> None:
        received = asyncio.get_running_loop().time()
        if not self.work.reserve():
            await ack(text=self.t("slack.busy"))  # Slack never retries a command: say so
            return
        key = await self._store("slack.command", body)
        await ack()
        self._acked(received)
        if key is not None:
            self.work.run(self._process(key, self._handle_interactive, translate_command, body))

    async def _on_action(self, ack: Any, body: dict[str, Any]) -> BoltResponse | None:
        received = asyncio.get_running_loop().time()
        if not self.work.reserve():
            return busy()  # Slack shows the member the click did not go through
        key = await self._store("slack.action", body)
        await ack()
        self._acked(received)
        if key is not None:
            self.work.run(self._process(key, self._handle_interactive, translate_action, body))
        return None

    async def _on_view(self, ack: Any, body: dict[str, Any]) -> BoltResponse | None:
        received = asyncio.get_running_loop().time()
        if body.get("type") != "view_submission":
            await ack()
            return None
        if not self.work.reserve():
            return busy()  # the form stays open, with Slack's "could not submit"
        key = await self._store("slack.view", body)
        await ack()
        self._acked(received)
        if key is not None:
            handle = self._handle_interactive
            self.work.run(self._process(key, handle, translate_view_submission, body))
        return None

    # ---- the durable inbox ------------------------------------------------------------------

    async def _store(
        self, kind: str, body: Mapping[str, Any], text: str | None = None
    ) -> str | None:
        """Commit the request to the inbox before the ack: its key when new, None for a repeat.
        Raises (so nothing is acknowledged) when the inbox cannot write. The caller reserved a
        place in the work queue; it is given back here unless there is work to run."""
        key = inbox_key(kind, body)
        try:
            payload = json.dumps(body) if text is None else text
            fresh = await self._host().inbox.accept(key, kind, payload)
        except BaseException:
            self.work.release()
            raise
        if not fresh:
            self.work.release()
        return key if fresh else None

    async def _process(self, key: str, handle: Callable[..., Awaitable[None]], *args: Any) -> None:
        """One piece of acknowledged work. The handler's coroutine is made only when a worker
        starts the piece: a piece left waiting at a stop is closed without one."""
        await handle(*args)  # a failure leaves the row unprocessed: the next start retries it
        self._host().inbox.done(key)

    async def _process_pending(self) -> None:
        """Requests acknowledged before a crash or stop and not processed yet, oldest first."""
        host = self._host()
        rows = await host.inbox.pending("slack.")
        if rows:
            log.info("processing %d acknowledged Slack requests from the inbox", len(rows))
        for row in rows:
            if self._stopping.is_set():  # stopped during the replay: the rest waits for the next
                break
            try:
                await self._replay(row)
            except Exception:
                log.exception("inbox request %s failed again; dropped", row.event_id)
            host.inbox.done(row.event_id)

    async def _replay(self, row: InboxEntry) -> None:
        body = json.loads(row.payload or "{}")
        if row.kind == "slack.event":
            await self._handle_event(body, replayed_from=row.received_at)
        elif row.kind == "slack.command":
            await self._handle_interactive(translate_command, body)
        elif row.kind == "slack.action":
            await self._handle_interactive(translate_action, body)
        elif row.kind == "slack.view":
            await self._handle_interactive(translate_view_submission, body)

    # ---- after the ack ----------------------------------------------------------------------

    async def context(self) -> Context:
        return Context(
            bot_user_id=self.platform.bot_user_id,
            bot_id=self.platform.bot_id,
            join_event=self.slack.join_event,
            community_channel_id=self._community_channel_id,
            channel_names=self.platform.by_id,
            names=self.platform.names(),
            managers=await self.platform.managers(),
        )

    async def _handle_event(
        self, body: Mapping[str, Any], *, replayed_from: datetime | None = None
    ) -> None:
        for user in users_in(body):
            await self.platform.user_name(user)
        event = translate_event(body, await self.context())
        if event is not None and replayed_from is not None:
            event = dataclasses.replace(event, replayed_from=replayed_from)
        if event is not None:
            await self._dispatch(event)

    async def _handle_interactive(self, translate: Any, body: Mapping[str, Any]) -> None:
        incoming: Incoming = translate(body, await self.context())
        item = incoming.event
        if item is None:
            return
        interaction = getattr(item, "interaction", None)
        if incoming.target is not None and interaction is not None:
            self.out.remember_target(interaction.id, incoming.target)
        if isinstance(item, SlashCommand):
            await self._slash_command(item)
        elif isinstance(item, OpenFormClicked):
            await self._open_saved_form(item)
        else:
            await self._dispatch(item)

    def _host(self) -> Host:
        if self.host is None:
            raise RuntimeError("the Slack adapter is not running: call run(host) first")
        return self.host

    async def _dispatch(self, event: Event) -> None:
        await self._host().dispatch(event)

    async def _slash_command(self, command: SlashCommand) -> None:
        words = command.text.split()
        if not words or words[0].lower() == "help":
            await self._reply(command, self._help(command))
            return
        try:
            parsed = parse_command_text(command.text, self._host().commands, CommandWords(self.t))
        except UsageError as err:
            if err.key == "core.usage.unknown_command":
                text = self._help(command, unknown=words[0])
            else:
                text = CommandWords(self.t).explain(err)
            await self._reply(command, text)
            return
        await self._dispatch(
            CommandInvoked(
                actor=command.actor,
                path=parsed.path,
                options=parsed.options,
                interaction=command.interaction,
            )
        )

    def _help(self, command: SlashCommand, unknown: str | None = None) -> str:
        return help_text(
            self.t,
            self._host().commands,
            command.actor,
            self.config.community.name,
            unknown=unknown,
        )

    async def _reply(self, command: SlashCommand, text: str) -> None:
        await self._host().send(Reply(interaction=command.interaction.id, text=text))

    async def _open_saved_form(self, click: OpenFormClicked) -> None:
        key = click.key.removeprefix(f"{OPEN_FORM_ACTION}:")
        saved = self.out.forms.get(key)
        target = self.out.targets.get(click.interaction.id)
        if saved is None or target is None or target.trigger_id is None:
            await self.out.dm(user_of(click.actor.id), self.t("slack.form.gone"))
            return
        form, channel = saved
        await self.out.open_view(target.trigger_id, form, channel)
