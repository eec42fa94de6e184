"""Regression: a huge duration is a friendly usage reply, not a crash.

Found by tests/properties/test_command_parser.py: `duration:24000000000h` overflowed inside
timedelta (OverflowError, not the ValueError parse_duration promises), and a duration that fits a
timedelta but not a date (`999999999d`) overflowed when added to now.
"""

from __future__ import annotations

import pytest

from bot.timespec import parse_duration
from tests.polls.conftest import posts
from tests.support import ConsoleRun, texts


def test_a_duration_too_long_for_timedelta_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_duration("24000000000h")


async def test_huge_poll_durations_get_a_usage_reply(console: ConsoleRun) -> None:
    out = await console.run(
        "join anna\n"
        + 'anna: /poll "Welke dag?" Ma Di duration:24000000000h\n'
        + 'anna: /poll "Welke dag?" Ma Di duration:999999999d\n'
        + 'anna: /stelling "Pizza is groente" duration:999999999d\n'
    )
    replies = texts(out, "dm", "anna")
    assert replies == [
        "Ik kan '24000000000h' niet lezen als duur voor 'duur'. Probeer 30m, 2h of 3d.",
        "Een poll kan hoogstens 32 dagen open blijven.",
        "Een poll kan hoogstens 32 dagen open blijven.",
    ]
    assert not [p for p in posts(out) if "Welke dag?" in p["text"] or "Pizza" in p["text"]]
