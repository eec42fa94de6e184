"""Cron arithmetic in the community's timezone, on APScheduler's CronTrigger."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.scheduling import RecurringJob

_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ONE_MICROSECOND = timedelta(microseconds=1)
_MARGIN = timedelta(hours=3)
"""More than any daylight-saving shift: how far wall times and moments can disagree."""


def standard_dow(field: str) -> str:
    """APScheduler 3 counts weekdays from Monday=0; standard cron from Sunday=0. Use names."""
    return re.sub(
        r"\d+", lambda m: _DOW_NAMES[int(m.group())] if int(m.group()) <= 7 else m.group(), field
    )


class CronMath:
    """Cron in the community's wall time. CronTrigger matches the fields on wall times (it runs
    in UTC, where no clock jumps); zoneinfo maps each wall time to its moment. APScheduler 3's
    own daylight-saving arithmetic skips a week now and then (a Monday 00:00 slot in Sydney
    across the October change), which tests/properties/test_cron_dst.py found.

    Daylight saving: a wall time the spring change skips (02:30) fires as if the clock had not
    jumped (03:30 summer time); a wall time the autumn change repeats fires at its first
    instance only when the hour field names fixed hours, while an hourly expression
    ('30 * * * *') fires at both. Both are zoneinfo's fold=0 reading of a wall time.
    """

    def __init__(self, timezone: str) -> None:
        self.timezone = ZoneInfo(timezone)

    @lru_cache(maxsize=256)  # noqa: B019  (few distinct expressions, object lives as long as the app)
    def trigger(self, cron: str) -> CronTrigger:
        """The expression as a trigger over wall times (naive local times read as UTC)."""
        fields = cron.split()
        if len(fields) != 5:
            raise ValueError(f"expected 5 cron fields, got {len(fields)}")
        fields[4] = standard_dow(fields[4])
        return CronTrigger.from_crontab(" ".join(fields), timezone=UTC)

    def validate(self, cron: str) -> str | None:
        try:
            self.trigger(cron)
        except ValueError as exc:
            return str(exc)
        return None

    def next_fire(self, cron: str, after: datetime) -> datetime | None:
        """The first occurrence strictly after `after` (aware, UTC).

        Near a change the order of wall times and moments differs (the skipped 02:30 fires
        after 03:00), so it looks at every wall time whose moment could come first.
        """
        trigger = self.trigger(cron)
        both_instances = not _fixed_hours(cron)
        after = after.astimezone(UTC)
        wall = after.replace(tzinfo=None) + min(
            self._offset(after - _MARGIN), self._offset(after + _MARGIN)
        )
        best: tuple[datetime, datetime] | None = None  # (moment, its wall time)
        while True:
            found = trigger.get_next_fire_time(None, wall.replace(tzinfo=UTC))
            if found is None:
                break
            wall = found.replace(tzinfo=None)
            if best is not None and wall - best[1] > _MARGIN:
                break
            for moment in self._moments(wall, both_instances):
                if moment > after and (best is None or moment < best[0]):
                    best = (moment, wall)
            wall += _ONE_MICROSECOND
        return best[0] if best else None

    def _offset(self, moment: datetime) -> timedelta:
        return moment.astimezone(self.timezone).utcoffset() or timedelta(0)

    def _moments(self, wall: datetime, both_instances: bool) -> tuple[datetime, ...]:
        first = wall.replace(tzinfo=self.timezone, fold=0).astimezone(UTC)
        second = wall.replace(tzinfo=self.timezone, fold=1).astimezone(UTC)
        if second > first and both_instances:  # a repeated wall time: both instances
            return first, second
        return (first,)  # one instance, a repeated one's first, or a skipped one shifted

    def fire_times(self, cron: str, after: datetime, until: datetime) -> Iterator[datetime]:
        current = after
        while True:
            fire = self.next_fire(cron, current)
            if fire is None or fire > until:
                return
            yield fire
            current = fire

    def latest_at_or_before(
        self, cron: str, moment: datetime, window: timedelta
    ) -> datetime | None:
        latest = None
        for fire in self.fire_times(cron, moment - window - _ONE_MICROSECOND, moment):
            latest = fire
        return latest


def _fixed_hours(cron: str) -> bool:
    return "*" not in cron.split()[1]


def missed_occurrence(math: CronMath, job: RecurringJob, now: datetime) -> datetime | None:
    """The occurrence a job's catch-up policy asks to run at start, if any."""
    if job.catch_up is None:
        return None
    return math.latest_at_or_before(job.cron, now, job.catch_up)
