"""Week arithmetic in the community's timezone: weeks start on Monday 00:00 local time."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Span:
    """A report period: whole local days [first_day, last_day]. Contributions count per local
    day (the daily aggregates); members are counted as present at `end`."""

    first_day: date
    last_day: date
    start: datetime
    """Local midnight opening first_day (aware UTC): newcomers joined at or after it..."""
    end: datetime
    """...and before this: the midnight after last_day, or the report moment if earlier."""

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def span_ending(last_day: date, days: int, tz: ZoneInfo, moment: datetime) -> Span:
    """`days` local days ending with `last_day`, cut off at `moment` if that is earlier."""
    first_day = last_day - timedelta(days=days - 1)
    midnight_after = day_start(last_day + timedelta(days=1), tz)
    return Span(first_day, last_day, day_start(first_day, tz), min(midnight_after, moment))


def day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()
