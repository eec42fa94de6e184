"""Human time expressions in the TOML file: durations ("90s", "7d", "1h30m") and clock times."""

from __future__ import annotations

import re
from datetime import time, timedelta
from functools import cache

from babel.dates import get_day_names

from bot.i18n import LANGUAGES

_DURATION_PART = re.compile(r"(\d+)\s*(w|d|h|m|s)")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Words for "every day", "Monday to Friday" and "Saturday and Sunday", in every language Plein speaks.
_DAY_GROUPS = {
    "daily": "*",
    "dagelijks": "*",
    "weekdays": "mon-fri",
    "werkdagen": "mon-fri",
    "doordeweeks": "mon-fri",
    "weekends": "sat,sun",
    "weekend": "sat,sun",
    "weekenden": "sat,sun",
}


@cache
def day_words() -> dict[str, str]:
    """Every weekday name a manager may write ('wo', 'woensdag', 'wed', 'Wednesday') -> 'wed'."""
    words = {day: day for day in DAYS}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for index, name in get_day_names(width, locale=language).items():
                words[name.lower().rstrip(".")] = DAYS[index]
    return words


def english_day(word: str) -> str:
    """'wo' or 'woensdag' -> 'wed'; anything else unchanged (numbers, unknown words)."""
    return day_words().get(word.lower(), word)


class DurationTooLong(ValueError):
    """A duration too large for a timedelta: still a bad value, with its own message."""


def parse_duration(text: str) -> timedelta:
    """'90s', '2h', '7d', '1w', '1h30m' -> timedelta. Raises ValueError with what is allowed."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned.startswith("-"):
        raise ValueError(f"duration {text!r} is negative; use a positive amount like '7d'")
    pos = 0
    total = timedelta()
    for match in _DURATION_PART.finditer(cleaned):
        if match.start() != pos:
            break
        try:
            total += timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        except OverflowError:
            raise DurationTooLong(f"duration {text!r} is too long") from None
        pos = match.end()
    if not cleaned or pos != len(cleaned):
        raise ValueError(
            f"cannot read duration {text!r}; use a number with w, d, h, m or s, like '90s', '2h', '7d' or '1h30m'"
        )
    return total


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def parse_clock_time(text: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise ValueError(f"cannot read time {text!r}; use 24-hour HH:MM like '09:00'")
    return time(int(match.group(1)), int(match.group(2)))


def weekly_to_cron(text: str) -> str:
    """'mon 09:00', 'mon,thu 19:30', 'daily 08:00', 'weekdays 12:00' -> a 5-field cron string."""
    parts = text.strip().lower().split()
    if len(parts) != 2:
        raise ValueError(
            f"cannot read {text!r}; use 'mon 09:00', 'mon,thu 19:30', 'daily 08:00' or a 5-field cron expression"
        )
    days_text, time_text = parts
    at = parse_clock_time(time_text)
    if days_text in _DAY_GROUPS:
        dow = _DAY_GROUPS[days_text]
    else:
        days = [english_day(d) for d in days_text.split(",")]
        unknown = [d for d in days if d not in DAYS]
        if unknown:
            raise ValueError(
                f"unknown day {unknown[0]!r} in {text!r}; use mon, tue, wed, thu, fri, sat, sun "
                "(or ma, di, wo, do, vr, za, zo, or the full name), daily or weekdays"
            )
        dow = ",".join(days)
    return f"{at.minute} {at.hour} * * {dow}"


_CRON_FIELD = re.compile(r"^[0-9a-z*,/\-?]+$")
_WORD = re.compile(r"[a-z]+")


def to_cron(text: str) -> str:
    """Accept a weekly time or a 5-field cron expression; return the cron expression."""
    fields = text.split()
    if len(fields) == 5:
        if not all(_CRON_FIELD.match(f.lower()) for f in fields):
            raise ValueError(f"cannot read cron expression {text!r}")
        fields[4] = _WORD.sub(lambda m: english_day(m.group()), fields[4].lower())
        return " ".join(fields)
    return weekly_to_cron(text)
