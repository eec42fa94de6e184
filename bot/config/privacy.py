from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import BeforeValidator, Field

from bot.config.base import Section
from bot.timespec import parse_duration

_NEVER = {"never", "off", "nooit", "uit", ""}


def _optional_duration(value: object) -> timedelta | None:
    if value is None or isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        if value.strip().lower() in _NEVER:
            return None
        delta = parse_duration(value)
        if delta < timedelta(days=1):
            raise ValueError("use at least '1d', or 'never' to keep data of members who left")
        return delta
    raise ValueError("expected a duration like '90d', or 'never'")


OptionalDuration = Annotated[timedelta | None, BeforeValidator(_optional_duration)]


class PrivacyConfig(Section):
    enabled: bool = True
    erase_after_leaving: OptionalDuration = Field(
        default=timedelta(days=90),
        description="Erase what Plein stored about a member this long after they left ('never' keeps it).",
    )
