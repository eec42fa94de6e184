"""Issue 15: calendar slots take weekday names in the community's language and in English
("wo 19:00", "woensdag 19:00", "wed 19:00"), in the weekly form and in a 5-field cron."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, parse_config
from scheduler import CronMath
from tests.calendar.helpers import COMMUNITY

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 3, 23, 8, tzinfo=AMS)
PLAN = """
[[calendar.themes]]
name = "Vogels"
prompts = [{{ type = "question", text = "Welke vogel zag je?" }}]

[[calendar.slots]]
when = "{when}"
"""


def slot_cron(when: str) -> str:
    config = parse_config(COMMUNITY + PLAN.format(when=when), "club.toml", {})
    return config.calendar.slots[0].when


@pytest.mark.parametrize(
    "when",
    ["wo 19:00", "woensdag 19:00", "Woensdag 19:00", "wed 19:00", "Wednesday 19:00", "0 19 * * wo"],
)
def test_a_wednesday_slot_in_dutch_or_english_fires_on_wednesday(when: str) -> None:
    cron = slot_cron(when)
    assert cron == "0 19 * * wed"
    fires = CronMath("Europe/Amsterdam").next_fire(cron, MONDAY)
    assert fires == datetime(2026, 3, 25, 19, tzinfo=AMS)


@pytest.mark.parametrize(
    ("when", "cron"),
    [
        ("ma,do 09:30", "30 9 * * mon,thu"),
        ("maandag,donderdag 09:30", "30 9 * * mon,thu"),
        ("dagelijks 08:00", "0 8 * * *"),
        ("werkdagen 12:00", "0 12 * * mon-fri"),
        ("weekend 10:00", "0 10 * * sat,sun"),
        ("0 9 * * ma-vr", "0 9 * * mon-fri"),
        ("0 9 * * zaterdag,zondag", "0 9 * * sat,sun"),
    ],
)
def test_day_lists_groups_and_cron_ranges_by_their_dutch_names(when: str, cron: str) -> None:
    assert slot_cron(when) == cron


def test_an_unknown_day_is_still_an_error_that_names_the_slot() -> None:
    with pytest.raises(ConfigError) as info:
        slot_cron("woensdg 19:00")
    [line] = info.value.lines()
    assert "calendar.slots[1].when: unknown day 'woensdg'" in line
    with pytest.raises(ConfigError) as info:
        slot_cron("0 9 * * blursday")
    [line] = info.value.lines()
    assert "calendar.slots[1].when:" in line and "'blursday'" in line
