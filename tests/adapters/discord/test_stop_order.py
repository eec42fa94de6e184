"""A graceful stop stops the scheduler before the platform: a scheduled job under way (here a
poll's tally edit) finishes on the open session instead of failing on a closed one, and no job
starts after the session closed."""

from __future__ import annotations

import asyncio

from tests.adapters.discord.harness import DiscordRun

A_WHILE = 1.0
"""Real seconds in which a stop that does not wait for the scheduler has closed the gateway."""


async def test_a_tally_edit_under_way_finishes_before_the_session_closes(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    jan = fake.add_member("Jan")
    fake.add_member("Fien")
    await discord_run.start()
    asked = await fake.slash(
        jan["id"], "/poll new", question="Welke dag?", option1="Zaterdag", option2="Zondag"
    )
    await discord_run.wait(lambda: fake.response_to(asked))
    poll = await discord_run.wait(
        lambda: next((m for m in fake.messages.values() if "Welke dag?" in m["content"]), None)
    )
    edit = f"/channels/{poll['channel_id']}/messages/{poll['id']}"
    release = fake.hold("PATCH", edit)
    clicked = await fake.click(jan["id"], poll["id"], fake.buttons(poll["id"])[0]["custom_id"])
    await discord_run.wait(lambda: fake.response_to(clicked))
    await discord_run.wait(lambda: fake.held)  # the scheduled tally edit is under way

    stopping = asyncio.create_task(discord_run.stop())
    done, _ = await asyncio.wait({stopping}, timeout=A_WHILE)
    gateway = fake._ws
    assert not done, "the stop did not wait for the scheduled edit under way"
    assert gateway is not None and not gateway.closed, "the session closed under a running job"

    release.set()
    await stopping  # and no error was logged (the harness checks)
    assert fake.calls_to("PATCH", edit), "the tally edit never reached Discord"
    assert "1" in fake.messages[poll["id"]]["content"]
