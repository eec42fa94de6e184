from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator

from bot.config.base import Section


class SlackConfig(Section):
    bot_token: SecretStr | None = None
    """xoxb-... (PLEIN_SLACK__BOT_TOKEN)."""
    app_token: SecretStr | None = None
    """xapp-... with connections:write, for Socket Mode (PLEIN_SLACK__APP_TOKEN)."""
    signing_secret: SecretStr | None = None
    """Verifies HTTP-mode requests (PLEIN_SLACK__SIGNING_SECRET)."""
    api_base_url: str = "https://slack.com/api/"
    mode: Literal["socket", "http"] = "socket"
    host: str = "0.0.0.0"
    """HTTP mode: the address the events server listens on."""
    port: int = Field(default=3000, ge=0, le=65535)
    path: str = "/slack/events"
    """HTTP mode: the path for events, slash commands and interactivity."""
    public_url: str | None = None
    """HTTP mode: the public https base URL, used only by `plein slack manifest`."""
    join_event: Literal["team_join", "member_joined_channel"] = "team_join"
    """What means "joined the community": joining the workspace, or the community channel."""
    community_channel: str | None = None
    """With join_event = "member_joined_channel": that channel (name or id); default: the
    community's default_channel."""
    work_queue: int = Field(default=1000, ge=1, le=1_000_000)
    """How many acknowledged requests may wait to be processed. When that many wait, Plein stops
    acknowledging: events are answered 503 so Slack delivers them again later, a slash command
    gets "busy, try again in a moment"."""
    channels: dict[str, str] = Field(default_factory=dict)
    """Channel name -> Slack channel id, for channels Plein cannot list (e.g. private ones)."""
    manager_usergroup: str | None = None
    """A user group id (S...) whose members may run manager commands."""

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with '/', e.g. '/slack/events'")
        return value

    @field_validator("api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL like 'https://slack.com/api/'")
        return value if value.endswith("/") else value + "/"
