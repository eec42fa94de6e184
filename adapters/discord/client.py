"""The discord.py client: gateway events -> Plein events, interactions answered in time.

Messages do not get a task each (discord.py's default) and are not parsed into discord.py
messages: the lean parser (lean_messages.py) reads each MESSAGE_CREATE payload into a small Plein
event, and one worker (message_worker.py) dispatches them in time slices, yielding to the event loop
in between, so an interaction (its own task, as before) never waits behind the backlog of a busy
stream. The message cache is off (Plein reads reactions and interactions from their
payloads).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Protocol

import aiohttp
import discord

from adapters.discord import deferred, lean_messages, translate
from adapters.discord.commands import CommandSet
from adapters.discord.interactions import FORM_BUTTON_PREFIX, Interactions, Pending
from adapters.discord.interest_sync import reread_interest
from adapters.discord.member_sync import sync_members
from adapters.discord.mentions import NO_PINGS
from adapters.discord.message_worker import MessageWorker, hold_back
from adapters.discord.views import form_modal
from bot.config import PleinConfig
from bot.events import Actor, Event
from bot.host import Host
from bot.i18n import Translator
from bot.urgency import interactive_writes

log = logging.getLogger("plein.discord.client")


def intents_for(message_content: bool) -> discord.Intents:
    """Guilds, members (privileged: joins, leaves, screening), guild + DM messages, reactions."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.members = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.guild_reactions = True
    intents.guild_scheduled_events = True  # an event's subscribers are its RSVPs
    intents.message_content = message_content
    return intents


class ClientOwner(Protocol):
    """What the client needs of the Discord adapter that runs it (no import back: no circle)."""

    host: Host | None
    config: PleinConfig
    t: Translator
    interactions: Interactions
    commands: CommandSet
    commands_synced: bool
    sessions: int
    connected: asyncio.Event
    defer_after: float

    def guild(self) -> discord.Guild | None: ...

    def channel_name(self, channel: Any) -> str | None: ...


def rate_limit_trace(adapter: ClientOwner) -> aiohttp.TraceConfig:
    """discord.py waits out a 429 itself and only logs it; its HTTP trace hook lets Plein count
    them (every REST call goes through discord.py's one aiohttp session)."""

    async def on_request_end(
        _: aiohttp.ClientSession, __: object, params: aiohttp.TraceRequestEndParams
    ) -> None:
        if params.response.status == 429 and adapter.host is not None:
            adapter.host.metrics.rate_limited("discord")

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    return trace


class PleinClient(discord.Client):
    def __init__(
        self,
        adapter: ClientOwner,
        *,
        intents: discord.Intents,
        guild_ready_timeout: float,
        identify_delay: float = 5.0,
        **sharding: Any,
    ) -> None:
        """`sharding`: shard_count and shard_ids, for the sharded client (shards.py)."""
        super().__init__(
            intents=intents,
            guild_ready_timeout=guild_ready_timeout,
            allowed_mentions=NO_PINGS,
            max_messages=None,
            http_trace=rate_limit_trace(adapter),
            **sharding,
        )
        self._sessions_connected = 0
        self.adapter = adapter
        self.identify_delay = identify_delay
        self.messages = MessageWorker(self._dispatch)
        self._worker: asyncio.Task[None] | None = None

        connect = self.http.ws_connect

        async def ws_connect(url: str, **options: Any) -> Any:
            """Every gateway socket discord.py opens is held back while the queue is full."""
            socket = await connect(url, **options)
            hold_back(socket, self.messages)
            return socket

        self.http.ws_connect = ws_connect  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        lean_messages.install(
            self,
            lean_messages.Reader(
                lambda: self.user.id if self.user is not None else None,
                self.get_guild,
                self._ours,
                self.adapter.channel_name,
            ),
            self.messages.take,
        )
        self._worker = asyncio.create_task(self.messages.run())

    async def close(self) -> None:
        self.messages.release()
        await super().close()
        worker, self._worker = self._worker, None
        if worker is not None:  # dispatch what was received, then stop
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
            await self.messages.work_off(float("inf"))

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before a repeated IDENTIFY (Discord's identify rate limit)."""
        if not initial and self.identify_delay > 0:
            await asyncio.sleep(self.identify_delay)

    # ---- lifecycle --------------------------------------------------------------------------

    async def on_connect(self) -> None:
        """Every fresh session (READY): the first is the start, later ones are reconnects."""
        self._sessions_connected += 1
        host = self.adapter.host
        if host is not None and self._sessions_connected > 1:
            host.metrics.reconnected("discord")
            host.connected(True)

    async def on_resumed(self) -> None:
        host = self.adapter.host
        if host is not None:
            host.metrics.reconnected("discord")
            host.connected(True)

    async def on_disconnect(self) -> None:
        host = self.adapter.host
        if host is not None:
            host.connected(False)

    async def on_ready(self) -> None:
        """Fires after every fresh session (not after a resume): commands once, members every time."""
        adapter = self.adapter
        adapter.sessions += 1
        assert adapter.host is not None
        if not adapter.commands_synced:
            adapter.commands_synced = True
            await self._sync_commands()
        guild = adapter.guild()
        if guild is not None:  # a fresh session may have missed joins and leaves: reconcile
            await sync_members(adapter.host, guild)
        if adapter.sessions == 1:
            await self._recover_deferred()
        await adapter.host.ready()
        adapter.connected.set()
        if guild is not None:  # and 'Interested' clicks; after ready: it never holds up the start
            await reread_interest(adapter.host, self.http, guild)

    async def _sync_commands(self) -> None:
        adapter = self.adapter
        mode = adapter.config.discord.sync_commands
        if mode == "off" or self.application_id is None:
            return
        payloads = adapter.commands.payloads
        try:
            if mode == "global":
                await self.http.bulk_upsert_global_commands(self.application_id, payloads)
                log.info("synced %d global commands", len(payloads))
                return
            guild = adapter.guild()
            if guild is None:
                log.warning("no guild to sync commands to; set discord.guild_id")
                return
            await self.http.bulk_upsert_guild_commands(self.application_id, guild.id, payloads)
            log.info("synced %d commands to guild %s", len(payloads), guild.id)
        except discord.HTTPException as exc:
            log.error("could not sync slash commands: %s %s", exc.status, exc.text)

    async def _dispatch(self, event: Event | None) -> None:
        host = self.adapter.host
        if event is None or host is None:
            return
        await host.dispatch(event)

    def _ours(self, guild: discord.Guild | None) -> bool:
        wanted = self.adapter.config.discord.guild_id
        return guild is not None and (wanted is None or str(guild.id) == wanted)

    # ---- members ----------------------------------------------------------------------------

    async def on_member_join(self, member: discord.Member) -> None:
        if self._ours(member.guild):
            await self._dispatch(translate.member_joined(member))

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        if self._ours(self.get_guild(payload.guild_id)):
            await self._dispatch(translate.member_left(payload.user))

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if self._ours(after.guild):
            await self._dispatch(translate.member_updated(before, after))

    async def on_scheduled_event_user_add(
        self, event: discord.ScheduledEvent, user: discord.User
    ) -> None:
        if self._ours(event.guild):
            await self._dispatch(
                translate.interest(event.id, user.id, user.display_name, user.bot, True)
            )

    async def on_scheduled_event_user_remove(
        self, event: discord.ScheduledEvent, user: discord.User
    ) -> None:
        if self._ours(event.guild):
            await self._dispatch(
                translate.interest(event.id, user.id, user.display_name, user.bot, False)
            )

    # ---- messages and reactions -------------------------------------------------------------

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        if self.user is not None and payload.user_id == self.user.id:
            return
        guild = self.get_guild(payload.guild_id) if payload.guild_id else None
        if payload.guild_id is not None and not self._ours(guild):
            return
        user = payload.member or self.get_user(payload.user_id)
        if user is None:
            return
        channel = self.get_channel(payload.channel_id)
        name = self.adapter.channel_name(channel) if channel is not None else None
        await self._dispatch(translate.reaction_added(payload, name, translate.member_of(user)))

    # ---- interactions -----------------------------------------------------------------------

    def actor(self, user: discord.User | discord.Member) -> Actor:
        roles = [r for r in getattr(user, "roles", []) if not r.is_default()]
        settings = self.adapter.config.discord
        return Actor(
            translate.member_id(user.id),
            user.display_name,
            bool(user.bot),
            is_manager=translate.is_manager(
                str(user.id),
                [str(r.id) for r in roles],
                [r.name for r in roles],
                self.adapter.config.community.managers,
                settings.manager_roles,
                translate.unique_username(user),
            ),
            roles=tuple(r.name for r in roles),
        )

    def _event_for(self, interaction: discord.Interaction) -> Event | None:
        data: dict[str, Any] = dict(interaction.data or {})
        actor = self.actor(interaction.user)
        channel = self.adapter.channel_name(interaction.channel) if interaction.guild else None
        kind = interaction.type
        if kind is discord.InteractionType.application_command:
            return translate.command_invoked(
                interaction.id, data, actor, channel, self.adapter.commands.routes
            )
        if kind is discord.InteractionType.component:
            message = interaction.message
            ref = (
                translate.message_ref(message.channel.id, message.id) if message is not None else ""
            )
            return translate.choice_picked(interaction.id, data, actor, channel, ref)
        if kind is discord.InteractionType.modal_submit:
            return translate.form_submitted(interaction.id, data, actor, channel)
        return None

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith(FORM_BUTTON_PREFIX):
            await self._reopen_form(interaction, custom_id)
            return
        event = self._event_for(interaction)
        if event is None:
            log.warning("interaction %s not understood (%s)", interaction.id, interaction.type)
            return
        interactions = self.adapter.interactions
        pending = interactions.track(interaction)
        loop = asyncio.get_running_loop()
        received = loop.time()
        deferred_at: float | None = None
        try:
            if self.adapter.defer_after <= 0:  # configured to always acknowledge first
                await self._defer(pending)
                deferred_at = loop.time()
                await self._answer(event)
                return
            work = asyncio.ensure_future(self._answer(event))
            try:
                await asyncio.wait_for(asyncio.shield(work), timeout=self.adapter.defer_after)
            except TimeoutError:
                await self._defer(pending)
                deferred_at = loop.time()
                await work
        finally:
            await self._finish(pending)
            self._settle(pending)
            acknowledged = deferred_at if deferred_at is not None else loop.time()
            self._ack_latency(acknowledged - received)

    async def _answer(self, event: Event) -> None:
        with interactive_writes():  # the member waits: its writes go before the counter batches
            await self._dispatch(event)

    def _ack_latency(self, seconds: float) -> None:
        """Until the defer, or else until the answer itself: what Discord's 3 s apply to."""
        host = self.adapter.host
        if host is not None:
            host.metrics.ack_latency("discord", seconds)

    async def _defer(self, pending: Pending) -> None:
        """Record the interaction in the inbox, then defer; unrecorded, it is not deferred."""
        host = self.adapter.host
        if host is not None and pending.recorded is None:
            pending.recorded = await deferred.remember(host.inbox, pending.interaction)
            if pending.recorded is None:
                return
        try:
            await self.adapter.interactions.defer(pending)
        except discord.HTTPException as exc:
            log.warning("could not defer interaction: %s %s", exc.status, exc.text)

    async def _finish(self, pending: Pending) -> None:
        try:
            await self.adapter.interactions.finish(pending)
        except discord.HTTPException as exc:
            log.warning("could not acknowledge interaction: %s %s", exc.status, exc.text)

    def _settle(self, pending: Pending) -> None:
        """The handler ran and answered: the recorded row is done. When Plein is stopping
        underneath the handler, its answer may not have gone out (`answered` is set before the
        request), so the row stays open and the next start apologises on the token."""
        host = self.adapter.host
        if pending.recorded is not None and host is not None and not self.is_closed():
            host.inbox.done(pending.recorded, after_writers=False)

    async def _recover_deferred(self) -> None:
        """Interactions the last run deferred and never answered (first session only)."""
        host = self.adapter.host
        assert host is not None
        live = self.adapter.interactions
        await deferred.recover(
            host.inbox,
            host.clock,
            self._connection,
            self.adapter.t("discord.restarted"),
            live=lambda ident: live.get(ident) is not None,
        )

    async def _reopen_form(self, interaction: discord.Interaction, custom_id: str) -> None:
        form = self.adapter.interactions.form_for_button(custom_id)
        if form is None:
            await interaction.response.send_message(
                self.adapter.t("discord.form_gone"), ephemeral=True
            )
            return
        await interaction.response.send_modal(form_modal(form))
