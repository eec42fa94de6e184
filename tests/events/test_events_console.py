"""Acceptance on the console: an event with five RSVPs and a waiting list, reminders at the right
local times across the change to summer time, a restart between them, attendance, the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.intros.helpers import CONFIG
from tests.support import ConsoleRun

AMS = ZoneInfo("Europe/Amsterdam")
START = "2026-03-27T10:00:00+01:00"
"""A Friday; summer time starts on Sunday 29 March at 02:00."""


def local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(AMS).strftime("%a %d %b %H:%M")


def dms(out: list[dict[str, Any]], needle: str) -> list[dict[str, Any]]:
    return [o for o in out if o["action"] == "dm" and needle in o["text"]]


async def test_an_event_with_five_rsvps_reminded_across_dst_attended_and_reported(
    console: ConsoleRun,
) -> None:
    console.config_text = CONFIG
    out = await console.run(
        "members anna:700d bram:500d carla:400d daan:300d eva:200d fleur:100d mia:900d\n"
        'mia: /event create "Bird walk" 29-03-2026 14:00 place:"De Ring, north gate" limit:5',
        START,
    )
    [post] = [o for o in out if o["action"] == "post" and "Bird walk" in o["text"]]
    assert "When: Sun 29 Mar 14:00 to 16:00" in post["text"]
    assert "Where: De Ring, north gate" in post["text"]
    assert [c["label"] for c in post["choices"]] == ["Going", "Maybe", "Not going"]
    ref = post["ref"]
    picks = "\n".join(f"{n} picks {ref} 1" for n in ("anna", "bram", "carla", "daan", "eva"))
    out = await console.run(
        f"{picks}\nfleur picks {ref} 1\ncarla picks {ref} 3\ncarla picks {ref} 1\nwait 1d6h",
        "2026-03-27T11:00:00+01:00",
    )
    updates = [o for o in out if o["action"] == "update" and o["ref"] == ref]
    assert "Going: 5 · maybe: 0 · not going: 0 (5 places; waiting list: 1)" in updates[5]["text"]
    assert (
        "waiting list" in dms(out, "full")[0]["text"] and dms(out, "full")[0]["member"] == "fleur"
    )
    promoted = dms(out, "A place opened up")
    assert [p["member"] for p in promoted] == ["fleur"]
    assert "(5 places; waiting list: 1)" in updates[-1]["text"]  # carla now waits
    day_before = dms(out, "starts in 1 day")
    assert sorted(d["member"] for d in day_before) == [
        "anna",
        "bram",
        "daan",
        "eva",
        "fleur",
        "mia",
    ]
    assert {local(d["at"]) for d in day_before} == {"Sat 28 Mar 14:00"}
    assert all(d["files"] and d["files"][0].endswith(".ics") for d in day_before)
    assert "Where: De Ring, north gate" in day_before[0]["text"]

    # a restart the next morning: the day-before reminder is not sent again
    out = await console.run("wait 1d", "2026-03-29T09:00:00+02:00")
    assert not dms(out, "starts in 1 day")
    hour_before = dms(out, "starts in 1 hour")
    assert len(hour_before) == 6 and {local(d["at"]) for d in hour_before} == {"Sun 29 Mar 13:00"}
    [ask] = dms(out, "Who came?")
    assert ask["member"] == "mia" and local(ask["at"]) == "Sun 29 Mar 17:00"
    assert ask["choices"][0]["label"] == "Everyone who said going"

    out = await console.run(f"mia picks {ask['ref']} 1\nmia: /report", "2026-03-30T09:00:00+02:00")
    assert "5 newly recorded" in out[0]["text"]
    [report] = [o for o in out if "Weekly report" in o["text"] or "Report" in o["text"][:40]]
    assert "Events: 1 held, 5 said going, 5 came" in report["text"]


async def test_bad_input_gets_a_clear_answer_and_members_cannot_create(console: ConsoleRun) -> None:
    console.config_text = CONFIG
    out = await console.run(
        "members anna:700d mia:900d\n"
        'anna: /event create "Picnic" 30-03-2026 12:00\n'
        'mia: /event create "Picnic" 31-02-2026 12:00\n'
        'mia: /event create "Picnic" 30-03-2026 25:00\n'
        'mia: /event create "Picnic" 01-01-2026 12:00\n'
        "mia: /event cancel 7\n"
        "mia: /event list",
        START,
    )
    texts = [o["text"] for o in out if o.get("member") in ("anna", "mia")]
    assert texts == [
        "Managers and theme hosts can create events. Ask one of them!",
        "I cannot read the date '31-02-2026'. Write it like 18-04-2026.",
        "I cannot read the time '25:00'. Write it like 19:30.",
        "Thu 1 Jan 12:00 has already passed. Choose a moment in the future.",
        "There is no event number 7. /event list shows the upcoming ones.",
        "No events are planned. /event create adds one.",
    ]
