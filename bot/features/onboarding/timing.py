"""Local-time rules for follow-ups: quiet hours push a moment to the next morning."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def in_quiet_hours(moment: datetime, tz: ZoneInfo, start: time, end: time) -> bool:
    if start == end:
        return False
    local = moment.astimezone(tz).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def outside_quiet_hours(moment: datetime, tz: ZoneInfo, start: time, end: time) -> datetime:
    """`moment` itself, or the first local `end` (the morning) after it when it falls in the window."""
    if not in_quiet_hours(moment, tz, start, end):
        return moment
    local = moment.astimezone(tz)
    day = local.date()
    if local.time() >= end:
        day += timedelta(days=1)
    morning = datetime.combine(day, end, tzinfo=tz)
    # Round-trip through UTC so a nonexistent local time (DST gap) lands on a real instant.
    return morning.astimezone(UTC)


def local_day(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).date().isoformat()
