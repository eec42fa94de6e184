"""Issue 23 on the Slack fake: nine members introduced in multi-person DMs (conversations.open
with the users), a restart posting nothing twice; an event with RSVP buttons, live counts, a
reminder with its .ics file and the hosts' 'who came?'."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from tests.adapters.slack.harness import ANNA, NAMES, SlackRun
from tests.fakes.slack import payloads as p

EXTRA = {f"UMEMBER{n:02d}": f"Lid{n}" for n in range(6)}
EVERYONE = {**NAMES, **EXTRA}


async def command_as(run: SlackRun, user: str, text: str) -> None:
    """`/plein <text>` from any member of the fake workspace (HTTP mode)."""
    hook = run.fake.response_url()
    body = p.slash_command(user, EVERYONE[user], "C0ALGEMEEN", "algemeen", text, hook)
    await run._http_send(urllib.parse.urlencode(body), "application/x-www-form-urlencoded")
    await run.settle()


def mpim_opens(run: SlackRun) -> list[list[str]]:
    return [
        c["users"].split(",") for c in run.fake.calls_to("conversations.open") if "," in c["users"]
    ]


async def start(tmp_path: Path, at: str) -> SlackRun:
    run = SlackRun(tmp_path, mode="http", env={"PLEIN_EVENTS__CHANNEL": "algemeen"})
    for uid, name in EXTRA.items():
        run.fake.add_user(uid, name)
    return await run.start(at)


async def test_nine_members_are_introduced_in_group_dms_once(tmp_path: Path) -> None:
    run = await start(tmp_path, "2026-03-23T08:00:00+01:00")  # a round Monday
    try:
        for user in EVERYONE:
            await command_as(run, user, "intros join")
        await run.advance(hours=2, seconds=1)
        groups = mpim_opens(run)
        assert sorted(len(g) for g in groups) == [2, 2, 2, 3]
        assert sorted(u for g in groups for u in g) == sorted(EVERYONE)
        channels = {
            c.result["channel"]["id"]
            for c in run.fake.calls_to("conversations.open")
            if "," in c["users"]
        }
        intros = [c for c in run.posts() if c["channel"] in channels]
        assert len(intros) == 4
        assert all("this round I'm introducing you to each other" in c["text"] for c in intros)
    finally:
        await run.stop()
    again = SlackRun(tmp_path, mode="http", env={"PLEIN_EVENTS__CHANNEL": "algemeen"})
    for uid, name in EXTRA.items():
        again.fake.add_user(uid, name)
    await again.start("2026-03-23T10:30:00+01:00")  # inside the round's catch-up window
    try:
        await again.advance(minutes=30)
        assert mpim_opens(again) == []
    finally:
        await again.stop()


async def test_an_event_with_rsvp_buttons_live_counts_a_reminder_and_attendance(
    tmp_path: Path,
) -> None:
    run = await start(tmp_path, "2026-03-27T10:00:00+01:00")
    try:
        await command_as(run, ANNA, 'event create "Bird walk" 29-03-2026 14:00 place:"De Ring"')
        [post] = [c for c in run.posts("C0ALGEMEEN") if "Bird walk" in c["text"]]
        assert [b["text"]["text"] for b in post.buttons()] == ["Going", "Maybe", "Not going"]
        goers = [u for u in EVERYONE if u != ANNA][:5]
        for user in goers:
            await run.click_as(user, EVERYONE[user], post, "Going")
        updates = run.fake.calls_to("chat.update")
        assert "Going: 5 · maybe: 0 · not going: 0" in updates[-1]["text"]
        await run.advance(days=1, hours=4)  # Saturday 14:00: the day-before reminder
        reminded = [
            u for u in goers + [ANNA] if any("starts in 1 day" in c["text"] for c in run.dms(u))
        ]
        assert sorted(reminded) == sorted(goers + [ANNA])
        uploads = run.fake.calls_to("files.completeUploadExternal")
        assert any(".ics" in json.dumps(u.args) for u in uploads)
        await run.advance(days=1, hours=4)  # Sunday 18:00: the host is asked who came
        [ask] = [c for c in run.dms(ANNA) if "Who came?" in c["text"]]
        await run.click_as(ANNA, NAMES[ANNA], ask, "Everyone who said going")
        assert run.plein is not None
        events = run.plein.features["events"]
        figures = await events.store.figures(  # type: ignore[attr-defined]
            run.plein.clock.now().replace(day=23), run.plein.clock.now()
        )
        assert (figures.events, figures.going, figures.attended) == (1, 5, 5)
    finally:
        await run.stop()
