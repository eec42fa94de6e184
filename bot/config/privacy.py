from __future__ import annotations

from bot.config.base import Section


class PrivacyConfig(Section):
    enabled: bool = True
