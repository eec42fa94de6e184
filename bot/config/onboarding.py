from __future__ import annotations

from typing import Literal

from bot.config.base import Section


class OnboardingConfig(Section):
    enabled: bool = True
    welcome: str = ""
    """Template; fields: {member}, {community}, {mission}, {member_count}. Empty = the catalog's text."""
    deliver: Literal["dm", "channel"] = "dm"
