"""Week arithmetic in the community's timezone: weeks start on Monday 00:00 local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def week_of(moment: datetime, tz: ZoneInfo) -> date:
    """The local Monday of the week `moment` falls in."""
    local = moment.astimezone(tz).date()
    return local - timedelta(days=local.weekday())


def week_start(week: date, tz: ZoneInfo) -> datetime:
    """Monday 00:00 local time of `week`, as an aware UTC datetime."""
    return datetime.combine(week, time(0, 0), tzinfo=tz).astimezone(UTC)


def weeks_between(earlier: date, later: date) -> int:
    return (later - earlier).days // 7
