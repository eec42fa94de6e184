"""`plein discord invite-url`: the OAuth2 link that adds Plein to a server."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import discord

from bot.config import ConfigError, PleinConfig
from bot.host import PlatformUnavailable

SCOPES = ("bot", "applications.commands")
"""`bot` joins the server as a bot user; `applications.commands` lets it register slash commands."""

PERMISSIONS = discord.Permissions(
    view_channel=True,  # see the configured channels (and find them by name)
    send_messages=True,  # welcomes, prompts, polls, kudos, reports
    send_messages_in_threads=True,  # answers in question/stelling threads
    create_public_threads=True,  # a thread under a question prompt or stelling
    create_private_threads=True,  # an introduction: a private thread for the pair
    create_events=True,  # events as Guild Scheduled Events (and moving or cancelling its own)
    attach_files=True,  # the report chart
    read_message_history=True,  # react to and edit earlier messages (poll tallies)
    add_reactions=True,  # the React action
    manage_roles=True,  # the member role after the rules button (Plein's role must be above it)
)


SNOWFLAKE = re.compile(r"^\d{17,20}$")
"""A Discord id: a number of 17 to 20 digits."""


def invite_url(config: PleinConfig, client_id: str | None = None) -> str:
    """The authorize URL with exactly Plein's scopes and permissions."""
    if client_id is not None and not SNOWFLAKE.match(client_id):
        raise ConfigError(
            "--client-id",
            [
                f"{client_id!r} is not a Discord application id; copy the Application ID "
                "(17 to 20 digits) from the Developer Portal, General Information"
            ],
        )
    ident = client_id or config.discord.application_id
    if ident is None:
        ident = asyncio.run(_application_id(config))
    guild = (
        discord.Object(int(config.discord.guild_id))
        if config.discord.guild_id
        else discord.utils.MISSING
    )
    return discord.utils.oauth_url(ident, permissions=PERMISSIONS, scopes=SCOPES, guild=guild)


async def _application_id(config: PleinConfig) -> str:
    token = config.discord.token
    if token is None:
        raise ConfigError(
            "discord",
            [
                "discord.application_id: not set; pass --client-id, set it, or set PLEIN_DISCORD__TOKEN"
            ],
        )
    url = config.discord.api_base_url.rstrip("/") + "/oauth2/applications/@me"
    headers = {"Authorization": f"Bot {token.get_secret_value()}"}
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(url, headers=headers) as response,
        ):
            if response.status != 200:
                raise ConfigError(
                    "discord",
                    [f"discord.token: Discord answered {response.status} for the application"],
                )
            data = await response.json()
    except (OSError, TimeoutError, aiohttp.ClientError) as exc:
        raise PlatformUnavailable(
            f"cannot reach Discord at {config.discord.api_base_url} ({exc}); "
            "pass --client-id to make the link without asking Discord"
        ) from None
    return str(data["id"])
