"""Exactly once per occurrence (restarts, replays, two processes on one database) and the
misfire policy after downtime."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

from tests.calendar.helpers import START, config, open_store, posts
from tests.calendar.test_console import local
from tests.support import ConsoleRun

DAILY = """
[calendar]
reminder_before = "0s"
misfire_grace = "1h"

[[calendar.slots]]
when = "daily 09:00"
theme = "Birds"

[[calendar.themes]]
name = "Birds"
hosts = ["anna", "bram"]
prompts = [
  { type = "question", text = "one" },
  { type = "question", text = "two" },
  { type = "question", text = "three" },
  { type = "question", text = "four" },
  { type = "question", text = "five" },
]
"""


def prompt_of(post: dict) -> str:
    return post["text"].split("\n")[2]


async def test_two_schedulers_on_one_database_post_an_occurrence_once(
    console: ConsoleRun,
) -> None:
    console.config_text = config()
    first, adapter_a, out_a = await console.start(START)
    second, adapter_b, out_b = await console.start(START)
    adapter_a.host, adapter_b.host = first, second
    try:
        service_a, service_b = first.features["calendar"], second.features["calendar"]
        [slot] = service_a.slots
        at = datetime.fromisoformat("2026-03-25T09:00:00+01:00")
        # the same occurrence, fired by both processes at once, then replayed by each
        await asyncio.gather(service_a.fire(slot, at), service_b.fire(slot, at))
        await service_a.fire(slot, at)
        await service_b.fire(service_b.slots[0], at)
    finally:
        await first.db.close()
        await second.db.close()
    printed = [json.loads(line) for line in (out_a.getvalue() + out_b.getvalue()).splitlines()]
    assert len(posts(printed)) == 1
    db, store = await open_store(console.config().storage.url)
    try:
        occurrence = await store.get(slot.key, at)
    finally:
        await db.close()
    assert occurrence is not None and occurrence.status == "posted"


async def test_a_restart_at_the_slot_time_does_not_post_again(console: ConsoleRun) -> None:
    console.config_text = config()
    out = await console.run("wait 2d1h", START)
    assert len(posts(out, "algemeen")) == 1
    # restarts exactly at, and half an hour after, the occurrence that was already posted
    again = await console.run("wait 1m", "2026-03-25T09:00:00+01:00")
    later = await console.run("wait 1m", "2026-03-25T09:30:00+01:00")
    assert posts(again, "algemeen") == posts(later, "algemeen") == []


async def test_after_three_days_down_only_the_latest_missed_post_is_made_once(
    console: ConsoleRun,
) -> None:
    console.config_text = config(DAILY)
    before = await console.run("wait 1d2h", START)  # Mon and Tue 09:00
    # down Tue 10:00 .. Fri 09:30: Wed, Thu and Fri 09:00 were missed
    after = await console.run("wait 1d", "2026-03-27T09:30:00+01:00")
    assert [local(p["at"]) for p in posts(before)] == ["Mon 23 Mar 09:00", "Tue 24 Mar 09:00"]
    assert [local(p["at"]) for p in posts(after)] == ["Fri 27 Mar 09:30", "Sat 28 Mar 09:00"]
    # rotation continues where it was: nothing was used up by the skipped occurrences
    assert [prompt_of(p) for p in posts(before) + posts(after)] == ["one", "two", "three", "four"]
    # a second start inside the grace window finds Friday claimed
    again = await console.run("wait 1m", "2026-03-28T09:40:00+01:00")
    assert posts(again) == []


async def test_a_missed_post_older_than_the_grace_window_is_skipped(console: ConsoleRun) -> None:
    console.config_text = config(DAILY)
    await console.run("wait 1d2h", START)
    after = await console.run("wait 1h", "2026-03-27T11:00:00+01:00")  # Fri 09:00 is 2h late
    assert posts(after) == []


async def test_a_first_start_right_after_a_slot_time_posts_nothing_late(
    console: ConsoleRun,
) -> None:
    console.config_text = config(DAILY)
    out = await console.run("wait 1m", "2026-03-23T09:20:00+01:00")
    assert posts(out) == []
