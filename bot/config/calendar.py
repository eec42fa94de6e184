from __future__ import annotations

from bot.config.base import Section


class CalendarConfig(Section):
    enabled: bool = True
