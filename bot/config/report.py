from __future__ import annotations

from bot.config.base import Section


class ReportConfig(Section):
    enabled: bool = True
