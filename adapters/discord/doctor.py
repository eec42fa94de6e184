"""`plein doctor` on Discord: the token, the privileged intents, the server's channels and roles
as Plein sees them, and the synced slash commands, asked from the REST API (no gateway)."""

from __future__ import annotations

from typing import Any

import aiohttp
import discord

from adapters.discord.commands import build_commands
from bot.commands import CommandCatalogue
from bot.config import PleinConfig
from bot.i18n import Translator
from bot.setup.doctor import CheckResult, configured_channels, configured_roles

MEMBERS_INTENT = (1 << 14) | (1 << 15)
"""Application flags GATEWAY_GUILD_MEMBERS and GATEWAY_GUILD_MEMBERS_LIMITED."""
CONTENT_INTENT = (1 << 18) | (1 << 19)
"""Application flags GATEWAY_MESSAGE_CONTENT and GATEWAY_MESSAGE_CONTENT_LIMITED."""
TEXT_CHANNEL_TYPES = {0, 5}  # text and announcement channels


class Rejected(Exception):
    """Discord answered 401: the token is not valid."""


class DiscordRest:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, token: str) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bot {token}"}

    async def get(self, path: str) -> Any:
        """The JSON body, or None for a 403/404 (not visible to Plein)."""
        async with self.session.get(self.base_url + path, headers=self.headers) as response:
            if response.status == 401:
                raise Rejected()
            if response.status in (403, 404):
                return None
            response.raise_for_status()
            return await response.json()


async def discord_checks(
    config: PleinConfig, t: Translator, commands: CommandCatalogue
) -> list[CheckResult]:
    settings = config.discord
    label = t("doctor.discord.token")
    if settings.token is None:
        return [CheckResult(label, t("doctor.discord.fix.token_missing"))]
    try:
        async with aiohttp.ClientSession() as session:
            rest = DiscordRest(session, settings.api_base_url, settings.token.get_secret_value())
            return await _checks(rest, config, t, commands)
    except Rejected:
        return [CheckResult(label, t("doctor.discord.fix.token_rejected"))]
    except (OSError, TimeoutError, aiohttp.ClientError) as exc:
        fix = t("doctor.discord.fix.unreachable", url=settings.api_base_url, error=str(exc))
        return [CheckResult(label, fix)]


async def _checks(
    rest: DiscordRest, config: PleinConfig, t: Translator, commands: CommandCatalogue
) -> list[CheckResult]:
    me = await rest.get("/users/@me")
    results = [CheckResult(t("doctor.discord.token"))]
    application = await rest.get("/applications/@me") or {}
    flags = int(application.get("flags") or 0)
    members = t("doctor.discord.members_intent")
    results.append(
        CheckResult(
            members, None if flags & MEMBERS_INTENT else t("doctor.discord.fix.members_intent")
        )
    )
    if config.discord.message_content:
        content = t("doctor.discord.content_intent")
        fix = None if flags & CONTENT_INTENT else t("doctor.discord.fix.content_intent")
        results.append(CheckResult(content, fix))
    guild_id = config.discord.guild_id or await _first_guild(rest)
    member = await rest.get(f"/guilds/{guild_id}/members/{me['id']}") if guild_id else None
    if guild_id is None or member is None:
        return [*results, CheckResult(t("doctor.discord.guild"), t("doctor.discord.fix.guild"))]
    roles = {role["id"]: role for role in await rest.get(f"/guilds/{guild_id}/roles") or []}
    channels = await rest.get(f"/guilds/{guild_id}/channels") or []
    results += _channel_checks(config, t, guild_id, member, roles, channels)
    results += _role_checks(config, t, member, roles)
    results.append(await _commands_check(rest, config, t, commands, application, guild_id))
    return results


async def _first_guild(rest: DiscordRest) -> str | None:
    guilds = await rest.get("/users/@me/guilds") or []
    return str(guilds[0]["id"]) if guilds else None


def _channel_checks(
    config: PleinConfig,
    t: Translator,
    guild_id: str,
    member: dict[str, Any],
    roles: dict[str, dict[str, Any]],
    channels: list[dict[str, Any]],
) -> list[CheckResult]:
    results = []
    for name in configured_channels(config):
        label = t("doctor.discord.channel", channel=name)
        channel = _find_channel(config, name, channels)
        if channel is None:
            results.append(
                CheckResult(label, t("doctor.discord.fix.channel_missing", channel=name))
            )
            continue
        allowed = permissions_in(channel, guild_id, member, roles)
        can_post = allowed.view_channel and allowed.send_messages
        fix = None if can_post else t("doctor.discord.fix.channel_permission")
        results.append(CheckResult(label, fix))
    return results


def _find_channel(
    config: PleinConfig, name: str, channels: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Like the adapter: [discord].channels, then an id, then the name (any case)."""
    ident = config.discord.channels.get(name) or (name if name.isdigit() else None)
    for channel in channels:
        if channel.get("type") not in TEXT_CHANNEL_TYPES:
            continue
        if ident is not None and str(channel["id"]) == ident:
            return channel
        if ident is None and str(channel.get("name", "")).lower() == name.lower():
            return channel
    return None


def permissions_in(
    channel: dict[str, Any],
    guild_id: str,
    member: dict[str, Any],
    roles: dict[str, dict[str, Any]],
) -> discord.Permissions:
    """Discord's documented computation: base permissions from @everyone and the member's roles,
    then the channel's @everyone, role and member overwrites, in that order."""
    member_roles = [str(r) for r in member.get("roles") or []]
    base = int((roles.get(guild_id) or {}).get("permissions") or 0)
    for role in member_roles:
        base |= int((roles.get(role) or {}).get("permissions") or 0)
    if discord.Permissions(base).administrator:
        return discord.Permissions.all()
    overwrites = {str(o["id"]): o for o in channel.get("permission_overwrites") or []}
    value = base

    def apply(allow: int, deny: int) -> None:
        nonlocal value
        value = (value & ~deny) | allow

    everyone = overwrites.get(guild_id)
    if everyone:
        apply(int(everyone["allow"]), int(everyone["deny"]))
    allow = deny = 0
    for role in member_roles:
        if role in overwrites:
            allow |= int(overwrites[role]["allow"])
            deny |= int(overwrites[role]["deny"])
    apply(allow, deny)
    own = overwrites.get(str(member["user"]["id"]))
    if own:
        apply(int(own["allow"]), int(own["deny"]))
    return discord.Permissions(value)


def _role_checks(
    config: PleinConfig, t: Translator, member: dict[str, Any], roles: dict[str, dict[str, Any]]
) -> list[CheckResult]:
    own = [roles[str(r)] for r in member.get("roles") or [] if str(r) in roles]
    highest = max((int(role["position"]) for role in own), default=0)
    results = []
    for name in configured_roles(config):
        label = t("doctor.discord.role", role=name)
        role = roles.get(name) or next(
            (r for r in roles.values() if str(r["name"]).lower() == name.lower()), None
        )
        if role is None:
            results.append(CheckResult(label, t("doctor.discord.fix.role_missing", role=name)))
        elif int(role["position"]) >= highest:
            results.append(CheckResult(label, t("doctor.discord.fix.role_above", role=name)))
        else:
            results.append(CheckResult(label))
    return results


async def _commands_check(
    rest: DiscordRest,
    config: PleinConfig,
    t: Translator,
    commands: CommandCatalogue,
    application: dict[str, Any],
    guild_id: str,
) -> CheckResult:
    mode = config.discord.sync_commands
    if mode == "off":
        return CheckResult(t("doctor.discord.commands_off"))
    app_id = application.get("id")
    path = f"/applications/{app_id}" + (f"/guilds/{guild_id}" if mode == "guild" else "")
    synced = await rest.get(path + "/commands") or []
    nl, en = Translator("nl"), Translator("en")
    wanted = build_commands(
        commands.all(),
        lambda key: nl(key) if nl.has(key) else None,
        lambda key: en(key) if en.has(key) else None,
    ).payloads
    have = {c["name"]: _shape(c) for c in synced}
    stale = sorted(c["name"] for c in wanted if have.get(c["name"]) != _shape(c))
    if not stale:
        return CheckResult(t("doctor.discord.commands"))
    listed = ", ".join(f"/{name}" for name in stale)
    return CheckResult(
        t("doctor.discord.commands"), t("doctor.discord.fix.commands", commands=listed)
    )


def _shape(command: dict[str, Any]) -> tuple[Any, ...]:
    """What members see of a command: its name and its tree of option names and types."""
    options = tuple(_shape(o) for o in command.get("options") or [])
    return (command.get("name"), command.get("type", 1), options)
