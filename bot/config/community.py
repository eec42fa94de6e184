from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.config.base import Section, TimeZoneName


class CommunityConfig(Section):
    name: str = Field(min_length=1)
    mission: str = ""
    language: Literal["nl", "en"] = "nl"
    timezone: TimeZoneName = "Europe/Amsterdam"
    managers: list[str] = Field(
        default_factory=list,
        description="Member handles (console names, Discord/Slack user ids) who may run manager commands.",
    )
    default_channel: str = "algemeen"
    welcome_channel: str = "welkom"
    managers_channel: str = "bestuur"
