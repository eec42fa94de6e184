from __future__ import annotations

from pydantic import Field

from bot.config.base import Section


class WebConfig(Section):
    """The one small web port: /healthz, /readyz, /metrics (and Slack's HTTP mode path)."""

    enabled: bool | None = None
    """None: on for Discord and Slack, off for the console."""
    port: int = Field(default=8080, ge=0, le=65535)
    bind: str = "127.0.0.1"
    """Listen address; 0.0.0.0 inside a container so the health check and Prometheus reach it."""

    def serves(self, adapter: str) -> bool:
        return self.enabled if self.enabled is not None else adapter != "console"
