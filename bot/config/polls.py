from __future__ import annotations

from bot.config.base import Section


class PollsConfig(Section):
    enabled: bool = True
