"""The five fields of a cron expression checked one by one, so a mistake reads in plain words:
"minute 61 is out of range 0-59" instead of a parser's message. Raised as pydantic errors with
their own type, so the loader can say them in the community's language (bot/locales/setup.py)."""

from __future__ import annotations

import re

from pydantic_core import PydanticCustomError

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# (field name, lowest, highest, names counted from `lowest`)
FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day", 1, 31, ()),
    ("month", 1, 12, MONTHS),
    ("weekday", 0, 7, WEEKDAYS),
)
_ITEM = re.compile(r"^(?P<range>\*|\?|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(?P<step>[a-z0-9]+))?$")


def check_cron_fields(expression: str) -> None:
    """Raise a PydanticCustomError for the first field that is out of range or unreadable."""
    for text, (field, low, high, names) in zip(expression.lower().split(), FIELDS, strict=True):
        for item in text.split(","):
            _check_item(item, field, low, high, names)


def _check_item(item: str, field: str, low: int, high: int, names: tuple[str, ...]) -> None:
    match = _ITEM.match(item)
    if not match:
        raise _unreadable(field, item)
    step = match.group("step")
    if step is not None and (not step.isdigit() or int(step) < 1):
        raise PydanticCustomError(
            "cron_step",
            "the step {value} in the {field} field must be a whole number of at least 1",
            {"field": field, "value": step},
        )
    if match.group("range") in ("*", "?"):
        return
    bounds = [_number(part, field, low, high, names) for part in match.group("range").split("-")]
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        raise PydanticCustomError(
            "cron_order",
            "the {field} range {start}-{end} runs backwards; write the smaller number first",
            {"field": field, "start": bounds[0], "end": bounds[1]},
        )


def _number(part: str, field: str, low: int, high: int, names: tuple[str, ...]) -> int:
    if part.isdigit():
        value = int(part)
        if not low <= value <= high:
            raise PydanticCustomError(
                "cron_range",
                "{field} {value} is out of range {low}-{high}",
                {"field": field, "value": value, "low": low, "high": high},
            )
        return value
    if part in names:
        return names.index(part) + low
    raise _unreadable(field, part)


def _unreadable(field: str, value: str) -> PydanticCustomError:
    return PydanticCustomError(
        "cron_unreadable",
        "cannot read '{value}' in the {field} field of the cron expression",
        {"field": field, "value": value},
    )
