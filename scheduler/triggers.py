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


def standard_dow(field: str) -> str:
    """APScheduler 3 counts weekdays from Monday=0; standard cron from Sunday=0. Use names."""
    return re.sub(
        r"\d+", lambda m: _DOW_NAMES[int(m.group())] if int(m.group()) <= 7 else m.group(), field
    )


class CronMath:
    def __init__(self, timezone: str) -> None:
        self.timezone = ZoneInfo(timezone)

    @lru_cache(maxsize=256)  # noqa: B019  (few distinct expressions, object lives as long as the app)
    def trigger(self, cron: str) -> CronTrigger:
        fields = cron.split()
        if len(fields) != 5:
            raise ValueError(f"expected 5 cron fields, got {len(fields)}")
        fields[4] = standard_dow(fields[4])
        return CronTrigger.from_crontab(" ".join(fields), timezone=self.timezone)

    def validate(self, cron: str) -> str | None:
        try:
            self.trigger(cron)
        except ValueError as exc:
            return str(exc)
        return None

    def next_fire(self, cron: str, after: datetime) -> datetime | None:
        """The first occurrence strictly after `after` (aware, UTC).

        Daylight saving: a wall time that does not exist (02:30 on the spring-forward night)
        fires one hour later (03:30, APScheduler's shift). A wall time that happens twice (02:30
        on the autumn night) fires once, at its first instance, when the hour field names fixed
        hours; an hourly expression ('30 * * * *') keeps firing every real hour.
        """
        trigger = self.trigger(cron)
        moment = after
        while True:
            fire = trigger.get_next_fire_time(
                None, (moment + _ONE_MICROSECOND).astimezone(self.timezone)
            )
            if fire is None:
                return None
            if not (_fixed_hours(cron) and self._repeated_wall_time(fire)):
                return fire.astimezone(UTC)
            moment = fire.astimezone(UTC)  # arithmetic on a local time would drop its fold

    def _repeated_wall_time(self, fire: datetime) -> bool:
        """True for the second instance of a wall time the autumn change repeats."""
        wall = fire.astimezone(self.timezone).replace(tzinfo=None)
        first = wall.replace(tzinfo=self.timezone, fold=0)
        return first.astimezone(UTC) < fire.astimezone(UTC)

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
