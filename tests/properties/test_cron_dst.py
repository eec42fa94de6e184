"""A weekly local-time slot fires at that local wall time, exactly once a week, across every
daylight-saving change from 2020 to 2035.

Documented shifts (scheduler/triggers.py): a wall time the spring change skips fires as if the
clock had not jumped (02:30 -> 03:30 summer time); a wall time the autumn change repeats fires
at its first instance only. Both are what `datetime(..., fold=0)` means in zoneinfo.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scheduler import CronMath

ZONES = ("Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe")
WINDOW = timedelta(weeks=5)


def expected_fires(
    zone: ZoneInfo, weekday: int, slot: time, after: datetime, until: datetime
) -> list[datetime]:
    """`weekday` as Python counts (Monday 0). One fire per matching local date, fold=0."""
    first = after.astimezone(zone).date() - timedelta(days=1)
    days = (until.astimezone(zone).date() - first).days + 2
    dates = (first + timedelta(days=n) for n in range(days))
    fires = (
        datetime.combine(day, slot, tzinfo=zone).astimezone(UTC)
        for day in dates
        if day.weekday() == weekday
    )
    return [fire for fire in fires if after < fire <= until]


@settings(max_examples=300, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    weekday=st.integers(min_value=0, max_value=6),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.integers(min_value=0, max_value=59),
    start=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
)
@example("Europe/Amsterdam", 6, 2, 30, datetime(2026, 3, 25))  # spring: 02:30 does not exist
@example("Europe/Amsterdam", 6, 2, 30, datetime(2026, 10, 20))  # autumn: 02:30 happens twice
@example("America/New_York", 6, 1, 30, datetime(2030, 10, 30))  # autumn there: 01:30 twice
@example("Australia/Sydney", 0, 10, 1, datetime(2028, 9, 4))  # 6 fires in 5 UTC weeks (found)
def test_a_weekly_local_slot_fires_at_its_wall_time_once_a_week(
    zone_name: str, weekday: int, hour: int, minute: int, start: datetime
) -> None:
    zone = ZoneInfo(zone_name)
    math = CronMath(zone_name)
    cron_weekday = (weekday + 1) % 7  # standard cron: Sunday 0
    after = start.replace(tzinfo=UTC)
    until = after + WINDOW
    fires = list(math.fire_times(f"{minute} {hour} * * {cron_weekday}", after, until))
    assert fires == expected_fires(zone, weekday, time(hour, minute), after, until)
    # Five weeks of UTC time hold five weekly fires; a DST change moves the wall time an hour
    # (Lord Howe: half an hour) against UTC, so one fire more or fewer fits at the window's edges.
    assert 4 <= len(fires) <= 6
    assert all(
        abs(b - a - timedelta(weeks=1)) <= timedelta(hours=1) for a, b in itertools.pairwise(fires)
    )
    local_dates: list[date] = [fire.astimezone(zone).date() for fire in fires]
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(local_dates))
