from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from bot.config.base import Section


class DiscordConfig(Section):
    token: SecretStr | None = None
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    guild_id: str | None = None
    manager_roles: list[str] = Field(default_factory=list)
    sync_commands: Literal["guild", "global"] = "guild"
    message_content: bool = False
