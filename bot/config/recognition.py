from __future__ import annotations

from bot.config.base import Section


class RecognitionConfig(Section):
    enabled: bool = True
