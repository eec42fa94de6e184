from __future__ import annotations

from bot.config.base import Section


class SpotlightConfig(Section):
    enabled: bool = True
