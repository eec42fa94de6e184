"""Which weekly fire times are round times, and each round's seed: stateless, so every process
and every restart agrees (the weeks are counted from a fixed Monday in local time)."""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

EPOCH = date(2024, 1, 1)
"""A Monday; week numbers count from here."""


def is_round(fire_time: datetime, every: timedelta, tz: ZoneInfo) -> bool:
    weeks = max(1, every // timedelta(weeks=1))
    local = fire_time.astimezone(tz).date()
    return ((local - EPOCH).days // 7) % weeks == 0


def round_seed(fire_time: datetime, seed: int, tz: ZoneInfo) -> int:
    local = fire_time.astimezone(tz).date().isoformat()
    return zlib.crc32(f"{seed}:{local}".encode())
