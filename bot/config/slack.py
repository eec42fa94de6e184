from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr

from bot.config.base import Section


class SlackConfig(Section):
    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    api_base_url: str = "https://slack.com/api/"
    mode: Literal["socket", "http"] = "socket"
    port: int = Field(default=3000, ge=0, le=65535)
    community_channel: str | None = None
    manager_usergroup: str | None = None
