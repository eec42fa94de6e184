"""Calendar question prompts are asks: a member's reply answers one (and counts in the fast
answers), one nobody answers is sent once to its theme's hosts - across restarts and with two
processes on one database."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from typing import Any

from bot.database_commands import report_command
from tests.support import ConsoleRun

CONFIG = """
[community]
name = "De Groene Ring"
language = "nl"
timezone = "Europe/Amsterdam"
managers = ["mia"]
managers_channel = "bestuur"

[onboarding]
enabled = false

[polls]
enabled = false

[health]
question_channels = ["vragen"]
answer_within = "4h"

[calendar]
reminder_before = "0s"

[[calendar.slots]]
when = "wed 09:00"
theme = "Vogels"

[[calendar.slots]]
when = "wed 09:00"
theme = "Tuin"
channel = "tuin"

[[calendar.themes]]
name = "Vogels"
hosts = ["anna", "bram"]
prompts = [
  { type = "question", text = "Welke vogel zag je deze week?" },
  { type = "question", text = "Waar hangt jouw nestkast?" },
]

[[calendar.themes]]
name = "Tuin"
hosts = ["dirk"]
prompts = [{ type = "news", text = "De moestuin is open." }]
"""

START = "2026-03-23T08:00:00+01:00"  # a Monday
HISTORY = "members anna:400d bram:300d carla:200d dirk:100d mia:500d"


def prompts(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        o
        for o in out
        if o["action"] == "post" and "author" not in o and o["text"].startswith("Vraag · ")
    ]


def nudges(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in out if "nog op antwoord" in o.get("text", "")]


async def test_a_question_prompt_waits_for_a_member_and_its_hosts_hear_once(
    console: ConsoleRun,
) -> None:
    console.config_text = CONFIG
    first = await console.run(f"{HISTORY}\nwait 2d1h", START)
    [week_one] = prompts(first)
    # restarted an hour later: carla answers the first prompt; the second nobody answers
    second = await console.run(
        f"carla replies #{week_one['ref']}: een merel!\nwait 8d", "2026-03-25T10:00:00+01:00"
    )
    [week_two] = prompts(second)
    # restarted after the nudge went out: nothing is sent about it again
    third = await console.run("wait 2d", "2026-04-02T10:00:00+02:00")
    sent = nudges(first + second + third)
    assert sorted(n["member"] for n in sent) == ["anna", "bram"]  # the theme's hosts, not dirk
    for nudge in sent:
        assert nudge["action"] == "dm"
        assert nudge["at"] == "2026-04-01T11:00:00+00:00"  # 09:00 + 4h, local summer time
        assert nudge["text"].startswith("1 vraag wacht nog op antwoord:\n")
        assert "de vraag van Vogels in #algemeen op" in nudge["text"]
        assert "http" not in nudge["text"]  # the console has no links to messages
    assert week_two["text"].count("Waar hangt jouw nestkast?") == 1
    # the fast answers of week 13 count the answered prompt (1 hour), week 14's waits
    config = console.config()
    one = json.loads(await report_command(config, date(2026, 3, 23), "json"))["health"]
    two = json.loads(await report_command(config, date(2026, 3, 30), "json"))["health"]
    assert (one["prompts"]["due"], one["prompts"]["answered_within"]) == (1, 1)
    assert one["all_asks"]["median_minutes"] == 60.0
    assert (two["prompts"]["due"], two["prompts"]["waiting"]) == (1, 1)


async def test_two_processes_record_a_posted_prompt_and_nudge_it_once(
    console: ConsoleRun,
) -> None:
    console.config_text = CONFIG
    await console.run(HISTORY, START)
    at = datetime.fromisoformat("2026-03-25T09:00:00+01:00")
    first, adapter_a, out_a = await console.start(at)
    second, adapter_b, out_b = await console.start(at)
    adapter_a.host, adapter_b.host = first, second
    try:
        calendar_a, calendar_b = first.features["calendar"], second.features["calendar"]
        slot_a = next(s for s in calendar_a.slots if s.theme == "Vogels")
        slot_b = next(s for s in calendar_b.slots if s.theme == "Vogels")
        await asyncio.gather(calendar_a.fire(slot_a, at), calendar_b.fire(slot_b, at))
        later = datetime.fromisoformat("2026-03-25T13:00:00+01:00")
        health_a, health_b = first.features["health"], second.features["health"]
        assert await health_a.nudges.next_due() == later
        await asyncio.gather(health_a.nudge(later), health_b.nudge(later))
        assert await health_b.nudges.next_due() is None
    finally:
        await first.close()
        await second.close()
    printed = [json.loads(line) for line in (out_a.getvalue() + out_b.getvalue()).splitlines()]
    assert len(prompts(printed)) == 1
    assert sorted(n["member"] for n in nudges(printed)) == ["anna", "bram"]
