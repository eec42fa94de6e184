from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from bot.config.base import Duration, Section


class MatrixConfig(Section):
    homeserver: str | None = None
    """The homeserver's client URL, e.g. https://matrix.example.org."""
    access_token: SecretStr | None = None
    """The bot user's access token (PLEIN_MATRIX__ACCESS_TOKEN); `plein matrix login` gets one."""
    rooms: dict[str, str] = Field(default_factory=dict)
    """Channel name -> room id ("!abc:example.org") or alias ("#algemeen:example.org")."""
    space: str | None = None
    """A space (id or alias): its child rooms become channels by name, besides `rooms`."""
    community_rooms: list[str] = Field(default_factory=list)
    """Channels whose joins count as joining the community; default: community.default_channel."""
    manager_power_level: int = Field(default=50, ge=0, le=100)
    """Members with at least this power level in the community room may use manager commands,
    besides community.managers (Matrix ids like "@anna:example.org")."""
    command_prefix: str = "!plein"
    sync_timeout: Duration = Field(default="30s", validate_default=True)
    """How long one /sync long-poll waits for new events."""

    @field_validator("homeserver")
    @classmethod
    def _homeserver(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL like 'https://matrix.example.org'")
        return value.rstrip("/")

    @field_validator("command_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not value or any(c.isspace() for c in value):
            raise ValueError("must be one word, like '!plein'")
        return value
