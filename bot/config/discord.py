from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator

from bot.config.base import Section


class DiscordConfig(Section):
    token: SecretStr | None = None
    """The bot token; set PLEIN_DISCORD__TOKEN in the environment, never in the file."""
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    guild_id: str | None = None
    """The server Plein serves. Needed for sync_commands = "guild"; without it the first server
    the bot is in is used."""
    application_id: str | None = None
    """Only for `plein discord invite-url` without a token; otherwise taken from Discord."""
    manager_roles: list[str] = Field(default_factory=list)
    """Role names or ids whose holders may run manager commands (besides community.managers)."""
    sync_commands: Literal["guild", "global", "off"] = "guild"
    message_content: bool = False
    """Ask for the privileged message content intent (see the README, "Plein on Discord")."""
    channels: dict[str, str] = Field(default_factory=dict)
    """Optional channel name -> channel id map, for channels renamed on Discord."""
    shard_count: int | None = Field(default=None, ge=1)
    """Discord's sharding: the number of shards over all processes together. None: one process
    with as many shards as Discord recommends (one, for a single community)."""
    shard_ids: list[int] | None = None
    """This process's shards (0 to shard_count - 1); None: all of them. Checked by
    bot/config/shards.py (in the community's language)."""
    defer_after: float = Field(default=1.5, ge=0, le=2.5)
    """Seconds to wait for the core's answer before acknowledging an interaction (Discord's
    deadline is 3 s)."""

    @field_validator("guild_id", "application_id")
    @classmethod
    def _snowflake(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError("must be a Discord id: digits only (a snowflake, as a string)")
        return value

    @field_validator("channels")
    @classmethod
    def _channel_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for name, ident in value.items():
            if not str(ident).isdigit():
                raise ValueError(f"{name}: must be a Discord channel id (digits only)")
        return value
