"""A calendar prompt of type "event" grows up: with [events] on it becomes an event with RSVP,
reminders and attendance, announced once even when the calendar fires again after a restart."""

from __future__ import annotations

from tests.calendar.helpers import config
from tests.events.test_events_console import dms, local
from tests.support import ConsoleRun

PLAN = """
[calendar]
reminder_before = "0s"

[[calendar.slots]]
when = "tue 19:00"
theme = "Walks"

[[calendar.themes]]
name = "Walks"
hosts = ["anna"]
prompts = [
  { type = "event", text = "Early bird walk", date = 2026-04-18T07:30:00, place = "Mill bridge" },
]
"""


async def test_an_event_prompt_becomes_an_event_with_rsvp_reminders_and_attendance(
    console: ConsoleRun,
) -> None:
    console.config_text = config(PLAN)
    out = await console.run(
        "join anna\njoin bram\njoin carla\nwait 1d12h", "2026-03-23T08:00:00+01:00"
    )
    [post] = [o for o in out if o["action"] == "post"]
    assert post["text"].startswith("📅 Early bird walk")
    assert "When: Sat 18 Apr 07:30 to 09:30" in post["text"] and "Hosted by @anna." in post["text"]
    assert [c["label"] for c in post["choices"]] == ["Going", "Maybe", "Not going"]
    # a restart inside the slot's catch-up window does not announce it again
    out = await console.run(
        f"carla picks {post['ref']} 1\nbram picks {post['ref']} 2\nwait 26d",
        "2026-03-24T19:30:00+01:00",
    )
    assert not [o for o in out if o["action"] == "post" and "Early bird" in o["text"]]
    day_before = dms(out, "starts in 1 day")
    assert sorted(d["member"] for d in day_before) == ["anna", "carla"]  # maybe is not reminded
    assert {local(d["at"]) for d in day_before} == {"Fri 17 Apr 07:30"}
    [ask] = dms(out, "Who came?")
    assert ask["member"] == "anna"
