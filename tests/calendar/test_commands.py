"""Manager commands and member interactions in console sessions."""

from __future__ import annotations

from tests.calendar.helpers import PLAN, START, config, dms, open_store, posts, replies
from tests.calendar.test_console import local
from tests.support import ConsoleRun

EVENT_PLAN = """
[events]
enabled = false  # without [events] an event prompt is a post with "I'm coming" (issue 23)

[calendar]
reminder_before = "0s"

[[calendar.slots]]
when = "tue 19:00"
theme = "Walks"

[[calendar.themes]]
name = "Walks"
hosts = ["anna"]
backup = "bram"
prompts = [
  { type = "event", text = "Early bird walk", date = 2026-04-18T07:30:00, place = "Mill bridge" },
  { type = "event", text = "Walk that already happened", date = 2026-03-01 },
  { type = "poll", text = "Which route next time?", options = ["River", "Forest"] },
]
"""


async def test_post_now_skip_pause_and_resume(console: ConsoleRun) -> None:
    console.config_text = config()
    out = await console.run(
        "join anna\njoin bram\n"
        "mia: /calendar post theme:birds\n"
        "mia: /calendar post Owls\n"
        "mia: /calendar skip\n"
        "wait 2d2h\n"
        "mia: /calendar pause\n"
        "mia: /calendar pause\n"
        "wait 7d\n"
        "mia: /calendar\n"
        "mia: /calendar resume\n"
        "wait 7d",
        START,
    )
    said = replies(out, "mia")
    assert said[0] == "Posted in #algemeen for Birds (question)."
    assert said[1] == "There is no theme called 'Owls'. Themes: Birds."
    assert said[2] == "Skipped: Wed 25 Mar 09:00 in #algemeen (Birds)."
    assert said[3].startswith("The content calendar is paused.")
    assert said[4] == "The content calendar was already paused."
    assert said[5].startswith("The calendar is paused")
    assert said[6] == "The content calendar runs again; the next post is Wed 8 Apr 09:00."
    made = posts(out, "algemeen")
    assert [local(p["at"]) for p in made] == ["Mon 23 Mar 08:00", "Wed 08 Apr 09:00"]
    # the manual post used the first prompt; the next scheduled one moves on
    assert "Which bird" in made[0]["text"] and "willows" in made[1]["text"]
    # skipped and paused weeks sent no reminders; the week after resuming did
    assert [local(d["at"]) for d in dms(out, "anna")] == ["Tue 07 Apr 09:00"]


async def test_event_prompt_shows_date_place_and_records_rsvps(console: ConsoleRun) -> None:
    console.config_text = config(EVENT_PLAN)
    out = await console.run("join anna\njoin bram\njoin carla\nwait 1d12h", START)
    [event] = posts(out)
    assert "When: Sat 18 Apr 07:30" in event["text"] and "Where: Mill bridge" in event["text"]
    assert [c["label"] for c in event["choices"]] == ["I'm coming"]
    out = await console.run(
        f"carla picks {event['ref']} 1\ncarla picks {event['ref']} 1\nbram picks {event['ref']} 1",
        "2026-03-24T20:00:00+01:00",
    )
    assert replies(out, "carla") == [
        "Noted: you're coming. That makes 1.",
        "You were already on the list (1 coming).",
    ]
    assert replies(out, "bram") == ["Noted: you're coming. That makes 2."]
    # next week: the past event is never announced; the poll is posted as text (polls off)
    out = await console.run("wait 7d", "2026-03-24T20:00:00+01:00")
    [poll] = posts(out)
    assert poll["text"].startswith("Poll · Walks\n\nWhich route next time?")
    db, store = await open_store(console.config().storage.url)
    try:
        exported = await store.export_member("console:carla")
        assert len(exported["event_rsvps"]) == 1
        await store.erase_member("console:carla")
        assert await store.export_member("console:carla") == {
            "prompt_replies": [],
            "event_rsvps": [],
            "hosted_items": [],
        }
    finally:
        await db.close()


async def test_reload_without_a_config_source_says_how(console: ConsoleRun) -> None:
    console.config_text = config()
    out = await console.run("mia: /calendar reload", START)
    assert replies(out, "mia")[0].startswith("Edit the [calendar] section and restart Plein")


async def test_changed_toml_and_restart_keeps_rotation(console: ConsoleRun) -> None:
    console.config_text = config()
    first = await console.run("wait 2d2h", START)  # posts the first prompt
    # the plan is edited: prompts reordered and one added; the first is not repeated
    console.config_text = config(
        PLAN.replace(
            '  { type = "question", text = "Which bird',
            '  { type = "action", text = "Hang up a nest box." },\n'
            '  { type = "question", text = "Which bird',
        )
    )
    second = await console.run("wait 21d", "2026-03-25T12:00:00+01:00")
    made = posts(first, "algemeen") + posts(second, "algemeen")
    texts = [p["text"].split("\n")[2] for p in made]
    assert texts == [
        "Which bird did you see this week?",
        "Hang up a nest box.",
        "The council wants to cut the old willows. What do we advise?",
        "The owl box in the park has an owl!",
    ]


async def test_dutch_community_gets_dutch_posts(console: ConsoleRun) -> None:
    console.config_text = config(language="nl")
    out = await console.run("join anna\njoin bram\nwait 2d2h\nmia: /calendar 1", START)
    [post] = posts(out)
    assert post["text"].startswith("Vraag · Birds")
    assert "Gastheer/gastvrouw: @anna en @bram." in post["text"]
    assert replies(out, "mia")[0].split("\n")[1].startswith("wo 1 apr 09:00 · #algemeen · Birds")
