"""Local days and leaderboard periods ("this week", "this month", "all time") in the community's tz."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ALL = "all"


def week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"w{year}-{week:02d}"


def month_key(day: date) -> str:
    return f"m{day.year}-{day.month:02d}"


def period_keys(day: date) -> tuple[str, str, str]:
    """The three leaderboard buckets an event on `day` counts towards."""
    return (week_key(day), month_key(day), ALL)


def period_key(name: str, day: date) -> str:
    if name == "week":
        return week_key(day)
    if name == "month":
        return month_key(day)
    return ALL


class LocalDays:
    """Maps aware datetimes to the community-local date, cheaply for runs of nearby moments."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._start: datetime | None = None
        self._end: datetime | None = None
        self._day: date | None = None

    def of(self, moment: datetime) -> date:
        start, end = self._start, self._end
        if start is not None and end is not None and start <= moment < end:
            return self._day  # type: ignore[return-value]
        day = moment.astimezone(self.tz).date()
        self._day = day
        # Bounds in UTC: comparing against ZoneInfo-aware datetimes is slow.
        self._start = self.start_of(day).astimezone(UTC)
        self._end = self.start_of(day + timedelta(days=1)).astimezone(UTC)
        return day

    def start_of(self, day: date) -> datetime:
        """The UTC-comparable moment the local day begins (DST-safe)."""
        return datetime.combine(day, time(0), tzinfo=self.tz)
