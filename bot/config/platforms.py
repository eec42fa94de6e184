from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from bot.config.base import Section


class StorageConfig(Section):
    url: str = "sqlite:///plein.db"
    """SQLAlchemy URL. sqlite:///FILE (relative to the working directory) or postgresql://..."""


class DiscordConfig(Section):
    token: SecretStr | None = None
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    guild_id: str | None = None
    manager_roles: list[str] = Field(default_factory=list)
    sync_commands: Literal["guild", "global"] = "guild"
    message_content: bool = False


class SlackConfig(Section):
    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    api_base_url: str = "https://slack.com/api/"
    mode: Literal["socket", "http"] = "socket"
    port: int = Field(default=3000, ge=0, le=65535)
    community_channel: str | None = None
    manager_usergroup: str | None = None
