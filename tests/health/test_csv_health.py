"""`plein report --format csv` carries every health figure the JSON export has, per week.

A community with members from before Plein, newcomers and help-channel questions over two
weeks, with a restart in between; the CSV row of a week must hold that week's JSON figures.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import Any

from bot.database_commands import report_command
from tests.health.test_six_weeks import Community
from tests.support import ConsoleRun

START = datetime.fromisoformat("2026-03-23T08:00:00+01:00")  # a Monday


async def two_weeks(c: Community) -> None:
    """Week one: dirk's first post welcomed, bob's question answered after 3h. A restart,
    then week two: eva's first post is a question nobody answers, carla's gets bob's in 1h."""
    await c.start(START)
    await c.say("members anna:400d bob:300d carla:200d")
    await c.say("join dirk")
    hello = await c.say("dirk: hallo, ik ben dirk")
    question = await c.say("bob #vragen: waar begint de werkdag?")
    await c.say("wait 3h")
    await c.say(f"anna replies {question}: bij het bezoekerscentrum")
    welcome = await c.say(f"carla replies {hello}: welkom dirk!")
    await c.say(f"dirk replies {welcome}: dank je")
    await c.stop()
    await c.start(START + timedelta(days=7, hours=1))
    await c.say("join eva")
    await c.say("eva #vragen: mag mijn hond mee?")
    ladder = await c.say("carla #vragen: wie heeft er een ladder?")
    await c.say("wait 1h")
    await c.say(f"bob replies {ladder}: ja, aan de lijn")
    await c.say("wait 7d")
    await c.stop()


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """JSON health -> {"all_asks_median_minutes": 180.0, ...}; lists stay whole."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(flatten(inner, f"{prefix}{key}_" if prefix or key else key))
        return out
    return {prefix.rstrip("_"): value}


def cell(value: Any) -> str:
    return "" if value is None else str(value)


async def test_every_json_health_figure_has_a_csv_column(console: ConsoleRun) -> None:
    await two_weeks(Community(console))
    config = console.config()
    monday = date(2026, 3, 30)
    data = json.loads(await report_command(config, monday, "json"))
    rows = list(csv.DictReader(io.StringIO((await report_command(config, monday, "csv")).decode())))
    row = next(r for r in rows if r["week_start"] == monday.isoformat())
    health = flatten(data["health"])
    # eva's first post is her question (one ask, unanswered); bob answers carla's
    assert health["all_asks_due"] == 2 and health["all_asks_answered"] == 1
    lists = {"helpers": "newcomer_helpers", "cohorts": "retention_week1"}
    for name, value in health.items():
        column = lists.get(name, name)
        assert column in row, f"the JSON health figure {name} has no CSV column"
        if name not in lists:
            assert row[column] == cell(value), name
    assert row["newcomer_helpers"] == " ".join(
        f"{h['member_id']}:{h['newcomers']}" for h in data["health"]["helpers"]
    )
    assert row["cohort_size"] == "1"  # eva joined this week
    previous = next(r for r in rows if r["week_start"] == "2026-03-23")
    assert (previous["questions_due"], previous["questions_median_minutes"]) == ("1", "180.0")
    assert previous["newcomers_connected"] == "1"  # dirk: carla welcomed him, he thanked her
