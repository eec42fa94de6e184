"""Theme hosts are who the config names by id, never whoever shows the same display name: on
Discord or Slack anyone may call themselves "bram" (or "1234", a host's id)."""

from __future__ import annotations

import json
from datetime import datetime

from bot.events import Actor, CommandInvoked, Interaction
from tests.intros.helpers import CONFIG
from tests.support import ConsoleRun

START = datetime.fromisoformat("2026-03-27T10:00:00+01:00")
HOSTED = CONFIG.replace('name = "Birds"\n', 'name = "Birds"\nhosts = ["bram", "1234"]\n')


async def create_as(console: ConsoleRun, *actors: Actor) -> list[str]:
    plein, adapter, out = await console.start(START)
    adapter.host = plein
    await plein.ready()
    for number, actor in enumerate(actors):
        await plein.dispatch(
            CommandInvoked(
                actor=actor,
                path=("event", "create"),
                options={"title": f"Walk {number}", "date": "30-03-2026", "time": "12:00"},
                interaction=Interaction(f"create-{number}", channel="algemeen"),
            )
        )
    await plein.close()
    printed = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    return [p["text"] for p in printed if p.get("ephemeral")]  # the answers to the commands


async def test_a_display_name_does_not_make_a_host(console: ConsoleRun) -> None:
    console.config_text = HOSTED
    replies = await create_as(
        console,
        Actor("console:mallory", "bram"),  # the host's name, not the host
        Actor("discord:999", "1234"),  # the other host's id as a display name
        Actor("console:bram", "Bram"),  # the host
        Actor("discord:1234", "Someone"),  # the host configured by bare platform id
    )
    refused = "Managers and theme hosts can create events. Ask one of them!"
    assert replies[:2] == [refused, refused]
    assert [r.split(":")[0] for r in replies[2:]] == ["Event 1 created", "Event 2 created"]
