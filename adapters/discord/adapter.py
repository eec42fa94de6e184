"""The Discord adapter: runs a discord.py client and performs Plein's actions on Discord."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any, NoReturn

import aiohttp
import discord

from adapters.discord import views
from adapters.discord.client import PleinClient, intents_for
from adapters.discord.commands import CommandSet, build_commands
from adapters.discord.gatherings import Gatherings
from adapters.discord.interactions import Interactions
from adapters.discord.links import message_link as discord_message_link
from adapters.discord.member_sync import sync_members
from adapters.discord.mentions import DiscordText
from adapters.discord.nonce import nonce_for
from adapters.discord.seams import endpoints
from adapters.discord.shards import ShardedPleinClient, make_client, open_thread_by_id
from adapters.discord.translate import member_id, message_ref, parse_ref, snowflake
from adapters.retry import retried
from bot.actions import (
    DM_CLOSED,
    Action,
    AddRole,
    Delivery,
    GroupDM,
    ListMembers,
    OpenForm,
    PostMessage,
    React,
    RemoveRole,
    Reply,
    ScheduleEvent,
    SendDM,
    UpdateMessage,
)
from bot.commands import CommandCatalogue
from bot.config import PleinConfig
from bot.events import Member
from bot.host import Host
from bot.i18n import Translator

log = logging.getLogger("plein.discord")

POSTABLE = (
    discord.TextChannel,
    discord.Thread,
    discord.VoiceChannel,
    discord.StageChannel,
    discord.DMChannel,
    discord.PartialMessageable,
)
Postable = (
    discord.TextChannel
    | discord.Thread
    | discord.VoiceChannel
    | discord.StageChannel
    | discord.DMChannel
    | discord.PartialMessageable
)
"""Channels Plein can post in and address by id."""

CANNOT_DM = 50007
UNKNOWN_CHANNEL = 10003
EXIT_DISCORD = 3


def transient(exc: Exception) -> bool:
    """Worth another try (adapters/retry.py): a 429, or a 5xx (new messages carry a nonce)."""
    return isinstance(exc, discord.HTTPException) and (exc.status == 429 or exc.status >= 500)


class DiscordStartError(RuntimeError):
    """Discord refused the session (bad token, privileged intent not enabled)."""

    exit_code = EXIT_DISCORD


class DiscordAdapter:
    name = "discord"

    def __init__(
        self,
        config: PleinConfig,
        *,
        guild_ready_timeout: float = 2.0,
        defer_after: float | None = None,
        identify_delay: float = 5.0,
        exit_on_refusal: bool = True,
    ) -> None:
        """`exit_on_refusal`: when Discord refuses the session, end the process with exit code 3
        (the `plein run` path) instead of raising DiscordStartError (embedding, tests)."""
        self.config = config
        self.settings = config.discord
        self.guild_ready_timeout = guild_ready_timeout
        self.identify_delay = identify_delay
        self.exit_on_refusal = exit_on_refusal
        self.defer_after = self.settings.defer_after if defer_after is None else defer_after
        t = Translator(config.community.language)
        self.t = t
        self.text = DiscordText()
        self.gatherings = Gatherings(
            self.text, self.guild, lambda name: getattr(self._channel(name), "id", None)
        )
        self.interactions = Interactions(
            t("discord.done"),
            t("discord.open_form"),
            t("discord.form_prompt", title="{title}"),
            text=self.text,
        )
        self._configured_names = {
            ident: name for name, ident in reversed(self.settings.channels.items())
        }
        """Channel id -> configured name ([discord].channels), looked up on every message."""
        self.client: PleinClient | None = None
        self.host: Host | None = None
        self.commands = CommandSet([], {})
        self.commands_synced = False
        self.sessions = 0
        """Fresh gateway sessions so far (READY; a RESUME is not a new session)."""
        self.connected = asyncio.Event()
        """Set once Plein is ready on Discord (after the first READY and command sync)."""

    # ---- running ----------------------------------------------------------------------------

    def build_command_set(self, commands: CommandCatalogue) -> CommandSet:
        nl, en = Translator("nl"), Translator("en")
        return build_commands(
            commands.all(),
            lambda key: nl(key) if nl.has(key) else None,
            lambda key: en(key) if en.has(key) else None,
        )

    async def run(self, host: Host) -> None:
        if self.settings.token is None:
            self._refuse("discord.token is not set: export PLEIN_DISCORD__TOKEN")
        self.host = host
        self.commands = self.build_command_set(host.commands)
        with endpoints(self.settings.api_base_url, self.settings.gateway_url):
            self.client = make_client(
                self,
                host.identify_buckets,
                intents=intents_for(self.settings.message_content),
                guild_ready_timeout=self.guild_ready_timeout,
                identify_delay=self.identify_delay,
            )
            try:
                async with self.client:
                    await self.client.start(self.settings.token.get_secret_value())
            except discord.PrivilegedIntentsRequired:
                message = (
                    "Discord refused the connection (close code 4014): the bot asks for the "
                    "Server Members intent"
                    + (" and the Message Content intent" if self.settings.message_content else "")
                    + ", which is not enabled for this application. Enable it in the Developer "
                    "Portal under Bot > Privileged Gateway Intents (see the README, 'Plein on Discord')."
                )
                self._refuse(message)
            except discord.LoginFailure:
                self._refuse("Discord rejected the token (PLEIN_DISCORD__TOKEN); check it.")
            except (OSError, TimeoutError, aiohttp.ClientError) as exc:
                self._refuse(
                    f"cannot reach Discord at {self.settings.api_base_url} ({exc}); "
                    "check the network and discord.api_base_url"
                )

    def _refuse(self, message: str) -> NoReturn:
        log.error(message)
        print(message, file=sys.stderr)
        if self.exit_on_refusal:
            raise SystemExit(EXIT_DISCORD)
        raise DiscordStartError(message)

    async def stop(self) -> None:
        if self.client is not None and not self.client.is_closed():
            await self.client.close()

    # ---- Gateway ----------------------------------------------------------------------------

    def mention(self, member_id: str) -> str:
        """A marker that DiscordText writes as <@id> and allows in `allowed_mentions`."""
        ident = snowflake(member_id)
        return self.text.user(ident) if ident is not None else member_id

    def channel_mention(self, channel: str) -> str:
        found = self._channel(channel)
        return self.text.channel(found.id) if found is not None else f"#{channel}"

    async def message_link(self, ref: str) -> str | None:
        """MessageLinks (bot/host.py): Discord's message URL, built from ids."""
        guild = self.guild()
        configured = self.settings.guild_id
        return discord_message_link(
            int(configured) if configured else getattr(guild, "id", None), ref
        )

    async def resolve_member(self, token: str) -> Member | None:
        guild = self.guild()
        ident = snowflake(token)
        if guild is None:
            return None
        if ident is not None:
            found = guild.get_member(ident)
            if found is None:
                try:
                    found = await guild.fetch_member(ident)
                except discord.HTTPException:
                    return None
            return Member(member_id(found.id), found.display_name, found.bot)
        name = token.strip().removeprefix("@").lower()
        for candidate in guild.members:
            names = {candidate.name, candidate.display_name, candidate.global_name or ""}
            if name in {n.lower() for n in names if n}:
                return Member(member_id(candidate.id), candidate.display_name, candidate.bot)
        return None

    async def perform(self, action: Action) -> Delivery:
        nonce = nonce_for(action)  # the same on every try: Discord creates the message once
        clock = (
            None if isinstance(action, Reply | OpenForm) or self.host is None else self.host.clock
        )
        try:
            return await retried(
                clock, type(action).__name__, lambda: self._perform(action, nonce), transient
            )
        except discord.Forbidden as exc:
            log.warning("discord refused %s: %s", type(action).__name__, exc.text)
            return Delivery(ok=False, reason=f"forbidden:{exc.code}")
        except discord.NotFound as exc:
            log.warning("discord: not found for %s: %s", type(action).__name__, exc.text)
            return Delivery(ok=False, reason=f"not_found:{exc.code}")
        except discord.HTTPException as exc:
            log.warning("discord error for %s: %s %s", type(action).__name__, exc.status, exc.text)
            return Delivery(ok=False, reason=f"http_{exc.status}:{exc.code}")

    async def _perform(self, action: Action, nonce: str) -> Delivery:
        if isinstance(action, PostMessage):
            return await self._post(action, nonce)
        if isinstance(action, SendDM):
            return await self._dm(action, nonce)
        if isinstance(action, Reply):
            return await self.interactions.reply(action)
        if isinstance(action, OpenForm):
            return await self.interactions.open_form(action)
        if isinstance(action, UpdateMessage):
            return await self._update(action)
        if isinstance(action, AddRole | RemoveRole):
            return await self._role(action)
        if isinstance(action, React):
            return await self._react(action)
        if isinstance(action, ListMembers):
            return await self._list_members(action)
        if isinstance(action, GroupDM):
            content = self._content(action.text, action.choices, (), nonce)
            return await self.gatherings.group_dm(action, content)
        if isinstance(action, ScheduleEvent):
            return await self.gatherings.schedule(action)
        return Delivery(ok=False, reason="unsupported")

    async def _list_members(self, action: ListMembers) -> Delivery:
        guild = self.guild()
        if guild is None or self.host is None:
            return Delivery(ok=False, reason="not_connected")
        await sync_members(self.host, guild, action.sync_id)
        return Delivery()

    def _content(self, text: str, choices: tuple, files: tuple, nonce: str) -> dict[str, Any]:
        kwargs: dict[str, Any] = self.text.message(text)
        kwargs["nonce"] = nonce
        if choices:
            kwargs["view"] = views.choices_view(self.text.labels(choices))
        if files:
            kwargs["files"] = views.files_of(files)
        return kwargs

    async def _post(self, action: PostMessage, nonce: str) -> Delivery:
        if action.thread_of:
            return await self._post_in_thread(action, nonce)
        channel = self._channel(action.channel)
        if channel is None:
            return Delivery(ok=False, reason=f"unknown_channel:{action.channel}")
        message = await channel.send(
            **self._content(action.text, action.choices, action.files, nonce)
        )
        ref = message_ref(channel.id, message.id)
        thread_ref = None
        if action.open_thread:
            name = self.text.plain(action.open_thread)[:100]
            if message.guild is None:  # posted from a process whose shards lack the guild
                await open_thread_by_id(self._client(), channel.id, message.id, name)
            else:
                await message.create_thread(name=name)
            thread_ref = ref
        return Delivery(ref=ref, channel=action.channel, thread_ref=thread_ref)

    async def _post_in_thread(self, action: PostMessage, nonce: str) -> Delivery:
        """Threads opened from a message share its id, so the root's ref names the thread."""
        client = self._client()
        root = parse_ref(action.thread_of or "")
        if root is None:
            return Delivery(ok=False, reason="bad_ref")
        channel_id, message_id = root
        kwargs = self._content(action.text, action.choices, action.files, nonce)
        thread = client.get_partial_messageable(message_id)
        try:
            message = await thread.send(**kwargs)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_CHANNEL:
                raise
            parent = client.get_partial_messageable(channel_id)
            created = await parent.get_partial_message(message_id).create_thread(
                name=(self.text.plain(action.text).splitlines() or ["…"])[0][:100] or "…"
            )
            message = await created.send(
                **self._content(action.text, action.choices, action.files, nonce)
            )
        return Delivery(
            ref=message_ref(message_id, message.id),
            channel=action.channel,
            thread_ref=action.thread_of,
        )

    async def _dm(self, action: SendDM, nonce: str) -> Delivery:
        client = self._client()
        ident = snowflake(action.member)
        if ident is None:
            return Delivery(ok=False, reason="unknown_member")
        channel = await client.create_dm(discord.Object(ident))
        try:
            message = await channel.send(
                **self._content(action.text, action.choices, action.files, nonce)
            )
        except discord.Forbidden as exc:
            if exc.code == CANNOT_DM:
                return Delivery(ok=False, reason=DM_CLOSED)
            raise
        return Delivery(ref=message_ref(channel.id, message.id))

    async def _update(self, action: UpdateMessage) -> Delivery:
        client = self._client()
        parsed = parse_ref(action.ref)
        if parsed is None:
            return Delivery(ok=False, reason="bad_ref")
        channel_id, message_id = parsed
        message = client.get_partial_messageable(channel_id).get_partial_message(message_id)
        kwargs: dict[str, Any] = self.text.message(action.text)
        if action.choices is not None:
            kwargs["view"] = views.choices_view(self.text.labels(action.choices))
        await message.edit(**kwargs)
        return Delivery(ref=action.ref)

    async def _role(self, action: AddRole | RemoveRole) -> Delivery:
        guild = self.guild()
        user = snowflake(action.member)
        if guild is None or user is None:
            return Delivery(ok=False, reason="unknown_member")
        role = self._role_named(guild, action.role)
        if role is None:
            log.warning("no role %r in %s", action.role, guild.name)
            return Delivery(ok=False, reason=f"unknown_role:{action.role}")
        http = self._client().http
        reason = action.reason or f"Plein: {type(action).__name__}"
        if isinstance(action, AddRole):
            await http.add_role(guild.id, user, role.id, reason=reason)
        else:
            await http.remove_role(guild.id, user, role.id, reason=reason)
        return Delivery()

    async def _react(self, action: React) -> Delivery:
        parsed = parse_ref(action.ref)
        if parsed is None:
            return Delivery(ok=False, reason="bad_ref")
        channel_id, message_id = parsed
        partial = self._client().get_partial_messageable(channel_id)
        await partial.get_partial_message(message_id).add_reaction(action.emoji)
        return Delivery(ref=action.ref)

    # ---- lookups ----------------------------------------------------------------------------

    def _client(self) -> PleinClient:
        if self.client is None:
            raise RuntimeError("the Discord client is not running")
        return self.client

    def guild(self) -> discord.Guild | None:
        client = self.client
        if client is None:
            return None
        if self.settings.guild_id:
            return client.get_guild(int(self.settings.guild_id))
        return client.guilds[0] if client.guilds else None

    def _channel(self, name: str) -> Postable | None:
        """A channel by its configured name: [discord].channels, then the guild, then an id."""
        client = self.client
        if client is None:
            return None
        mapped = self.settings.channels.get(name)
        ident = int(mapped) if mapped else (int(name) if name.isdigit() else None)
        if ident is not None:
            found = client.get_channel(ident)
            if isinstance(found, POSTABLE):
                return found
            return client.get_partial_messageable(ident)
        guild = self.guild()
        wanted = name.lstrip("#").lower()
        if guild is None:  # the guild is on another process's shard: post by id, over REST
            known = client.channel_ids if isinstance(client, ShardedPleinClient) else {}
            found_id = known.get(wanted)
            return client.get_partial_messageable(found_id) if found_id is not None else None
        for channel in guild.text_channels:
            if channel.name.lower() == wanted:
                return channel
        return None

    def channel_name(self, channel: Any) -> str | None:
        """The configured name for a Discord channel (a thread counts as its parent)."""
        if channel is None:
            return None
        parent = getattr(channel, "parent", None)
        if isinstance(channel, discord.Thread) and parent is not None:
            channel = parent
        named = self._configured_names.get(str(channel.id))
        if named is not None:
            return named
        return getattr(channel, "name", None) or str(channel.id)

    @staticmethod
    def _role_named(guild: discord.Guild, role: str) -> discord.Role | None:
        if role.isdigit():
            return guild.get_role(int(role))
        wanted = role.lower()
        return next((r for r in guild.roles if r.name.lower() == wanted), None)
