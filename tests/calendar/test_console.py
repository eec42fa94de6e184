"""Acceptance: scripted console sessions with `wait`, on the real app and a real SQLite file."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.calendar.helpers import START, config, dms, open_store, posts, replies
from tests.support import ConsoleRun

AMS = ZoneInfo("Europe/Amsterdam")


def local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(AMS).strftime("%a %d %b %H:%M")


async def test_hosts_are_reminded_24h_ahead_and_the_prompt_posts_at_local_time(
    console: ConsoleRun,
) -> None:
    console.config_text = config()
    out = await console.run("join anna\njoin bram\njoin carla\nwait 3d", START)
    anna, bram = dms(out, "anna"), dms(out, "bram")
    assert len(anna) == len(bram) == 1 and not dms(out, "carla")
    assert local(anna[0]["at"]) == "Tue 24 Mar 09:00"
    assert "Wed 25 Mar 09:00" in anna[0]["text"]
    assert "Which bird did you see this week?" in anna[0]["text"]
    assert "together with @bram" in anna[0]["text"]
    [post] = posts(out)
    assert local(post["at"]) == "Wed 25 Mar 09:00" and post["channel"] == "algemeen"
    assert post["text"].startswith("Question · Birds\n\nWhich bird did you see this week?")
    assert "Hosted by @anna and @bram." in post["text"]


async def test_rotation_has_no_repeats_over_a_full_cycle_and_survives_restarts(
    console: ConsoleRun,
) -> None:
    console.config_text = config()
    first = await console.run("join anna\njoin bram\nwait 14d", START)
    # a restart on the same database, in the middle of the second cycle
    second = await console.run("wait 28d", "2026-04-06T08:00:00+02:00")
    texts = [p["text"].split("\n")[2] for p in posts(first) + posts(second)]
    cycle = [
        "Which bird did you see this week?",
        "The council wants to cut the old willows. What do we advise?",
        "The owl box in the park has an owl!",
    ]
    assert texts == cycle + cycle


async def test_question_replies_are_linked_to_the_prompt(console: ConsoleRun) -> None:
    console.config_text = config()
    out = await console.run("join anna\njoin bram\njoin carla\nwait 2d1h", START)
    [post] = posts(out)
    ref = post["ref"]
    out = await console.run(
        f"carla replies #{ref}: A blackbird!\n"
        f"anna replies #{ref}: Lovely, carla!\n"
        f"anna replies #{ref}: And a wren here\n"
        "carla: an ordinary message",
        "2026-03-25T10:00:00+01:00",
    )
    db, store = await open_store(console.config().storage.url)
    try:
        carla = await store.export_member("console:carla")
        anna = await store.export_member("console:anna")
        occurrence = (await store.prompt_refs(datetime.fromisoformat(START)))[ref]
        assert await store.reply_count(occurrence[0]) == 3
    finally:
        await db.close()
    assert [r["theme"] for r in carla["prompt_replies"]] == ["Birds"]
    assert "text" not in carla["prompt_replies"][0]  # ids and times only, never the text
    assert len(anna["prompt_replies"]) == 2 and len(anna["hosted_items"]) == 1


async def test_calendar_lists_the_upcoming_posts(console: ConsoleRun) -> None:
    plan = """
[calendar]
[[calendar.slots]]
when = "mon 09:00"
theme = "rotate"

[[calendar.slots]]
when = "30 19 * * 4"
channel = "doe-mee"
theme = "Green"

[[calendar.themes]]
name = "Birds"
hosts = ["anna", "bram"]
prompts = [{ type = "question", text = "Which bird did you see?" }]

[[calendar.themes]]
name = "Green"
hosts = []
prompts = [
  { type = "action", text = "Pull one tile out of your garden." },
  { type = "poll", text = "Which tree do we plant?", options = ["Oak", "Lime"] },
]
"""
    console.config_text = config(plan)
    out = await console.run("join anna\njoin bram\nmia: /calendar count:4\nanna: /calendar", START)
    listing = replies(out, "mia")[0].split("\n")
    assert listing[0] == "Next posts of the content calendar:"
    assert listing[1] == "Mon 23 Mar 09:00 · #algemeen · Birds · question · @anna and @bram"
    assert listing[2].strip() == "Which bird did you see?"
    assert listing[3] == "Thu 26 Mar 19:30 · #doe-mee · Green · action · no hosts"
    assert listing[5] == "Mon 30 Mar 09:00 · #algemeen · Green · poll · no hosts"
    assert listing[7] == "Thu 2 Apr 19:30 · #doe-mee · Green · action · no hosts"
    assert replies(out, "anna") == ["Only community managers can use /calendar."]


async def test_nine_local_stays_nine_local_through_both_dst_changes(console: ConsoleRun) -> None:
    plan = """
[calendar]
reminder_before = "0s"
[[calendar.slots]]
when = "daily 09:00"
theme = "Birds"

[[calendar.themes]]
name = "Birds"
hosts = ["anna", "bram"]
prompts = [{ type = "question", text = "Which bird did you see today?" }]
"""
    console.config_text = config(plan)
    spring = posts(await console.run("wait 3d12h", "2026-03-27T08:00:00+01:00"))
    autumn = posts(await console.run("wait 3d12h", "2026-10-23T08:00:00+02:00"))
    assert [local(p["at"]) for p in spring] == [
        "Fri 27 Mar 09:00",
        "Sat 28 Mar 09:00",
        "Sun 29 Mar 09:00",
        "Mon 30 Mar 09:00",
    ]
    assert [p["at"][11:16] for p in spring] == ["08:00", "08:00", "07:00", "07:00"]  # UTC
    assert [local(p["at"]) for p in autumn] == [
        "Fri 23 Oct 09:00",
        "Sat 24 Oct 09:00",
        "Sun 25 Oct 09:00",
        "Mon 26 Oct 09:00",
    ]
    assert [p["at"][11:16] for p in autumn] == ["07:00", "07:00", "08:00", "08:00"]


async def test_theme_without_reachable_hosts_alerts_the_managers(console: ConsoleRun) -> None:
    console.config_text = config()  # anna and bram never show up
    out = await console.run("wait 2d2h", START)
    [alert, post] = posts(out)
    assert alert["channel"] == "bestuur" and local(alert["at"]) == "Tue 24 Mar 09:00"
    assert "no host I can reach (anna, bram not found)" in alert["text"]
    assert "Which bird did you see this week?" in alert["text"]
    assert post["channel"] == "algemeen"
