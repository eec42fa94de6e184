from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from bot.config.base import Duration, Section

SLACK_CLIENT_ID = re.compile(r"[0-9]+\.[0-9]+")
PageName = Literal["overview", "health", "calendar", "polls", "members", "stories"]
PAGES: tuple[PageName, ...] = ("overview", "health", "calendar", "polls", "members", "stories")


class DashboardConfig(Section):
    """The managers' read-only dashboard, served under /dashboard on the web port ([web])."""

    enabled: bool = True
    public_pages: list[PageName] = Field(default_factory=list)
    """Pages anyone may open without logging in (e.g. ["members"] for a public leaderboard)."""
    session: Duration = timedelta(hours=8)
    """How long a login lasts; every page checks the manager right again meanwhile."""
    refresh: Duration = timedelta(minutes=5)
    """Figures are computed at most this often; pages show when (see the README's benchmarks)."""
    first_wait: Duration = timedelta(0)
    """How long a visit to a page whose figures were never computed waits for them before it
    gets a page that says they are being computed and reloads itself. Plein starts computing
    every page when the dashboard is served, so this is rarely needed; the default answers at
    once (at 10M contributions the first computation takes seconds)."""
    base_url: str | None = None
    """The address managers open, e.g. https://plein.example.org (behind a proxy); default
    http://<web.bind>:<web.port>. Links, OAuth redirects and Secure cookies follow it."""
    secret: SecretStr | None = None
    """Signs the session cookies; set PLEIN_DASHBOARD__SECRET. Without it a random secret per
    process is used: logins end at a restart and do not carry across processes."""
    discord_client_id: str | None = None
    """The Discord application's OAuth2 client id: enables "Log in with Discord"."""
    discord_client_secret: SecretStr | None = None
    """Set PLEIN_DASHBOARD__DISCORD_CLIENT_SECRET in the environment, never in the file."""
    discord_authorize_url: str = "https://discord.com/oauth2/authorize"
    slack_client_id: str | None = None
    """The Slack app's client id (Basic Information -> App Credentials): enables "Sign in with
    Slack" (OpenID Connect) for workspace admins and owners of the bot's workspace."""
    slack_client_secret: SecretStr | None = None
    """Set PLEIN_DASHBOARD__SLACK_CLIENT_SECRET in the environment, never in the file."""
    slack_issuer: str = "https://slack.com"
    """Slack's OpenID Connect issuer; its endpoints come from <issuer>/.well-known/openid-configuration."""

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https:// (the address managers open)")
        return value.rstrip("/")

    @field_validator("discord_client_id")
    @classmethod
    def _snowflake(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError("must be a Discord application id: digits only")
        return value

    @field_validator("slack_client_id")
    @classmethod
    def _slack_client_id(cls, value: str | None) -> str | None:
        if value is not None and not SLACK_CLIENT_ID.fullmatch(value):
            raise ValueError("must be a Slack client id: digits, a dot, digits (1234.5678)")
        return value

    @field_validator("slack_issuer")
    @classmethod
    def _issuer(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. https://slack.com")
        return value.rstrip("/")
