"""Shared building blocks for config sections: strict sections and human-readable value types."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict

from bot.config.cron_fields import check_cron_fields
from bot.timespec import parse_clock_time, parse_duration, to_cron


class Section(BaseModel):
    """Unknown keys are errors, never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        return parse_duration(value)
    raise ValueError("expected a duration string like '90s', '2h' or '7d'")


def _clock_time(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        return parse_clock_time(value)
    raise ValueError("expected a time string like '09:00'")


def _cron(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected 'mon 09:00' or a 5-field cron expression")
    cron = to_cron(value)
    check_cron_fields(cron)
    return cron


def _timezone(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a named timezone like 'Europe/Amsterdam'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {value!r}; use an IANA name like 'Europe/Amsterdam' or 'UTC'"
        ) from None
    return value


Duration = Annotated[timedelta, BeforeValidator(_duration)]
ClockTime = Annotated[time, BeforeValidator(_clock_time)]
CronSpec = Annotated[str, BeforeValidator(_cron)]
TimeZoneName = Annotated[str, BeforeValidator(_timezone)]
