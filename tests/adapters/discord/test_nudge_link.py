"""A calendar question nobody answers: its hosts' nudge on Discord links to the prompt with
Discord's message URL (guild, channel, message), made without an API call."""

from __future__ import annotations

from datetime import timedelta

from tests.adapters.discord.harness import DiscordRun


async def test_the_nudge_links_to_the_waiting_prompt(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    plein = await discord_run.start()  # Monday 2026-03-23 08:00 local
    scheduler = plein.scheduler
    assert hasattr(scheduler, "advance_to")
    await scheduler.advance_to(plein.clock.now() + timedelta(hours=5, minutes=30))
    await discord_run.settle()
    algemeen = fake.channel_id("algemeen")
    [prompt] = await discord_run.wait(
        lambda: [
            m
            for m in fake.messages.values()
            if m["channel_id"] == algemeen and m["content"].startswith("Vraag · ")
        ]
    )
    link = f"https://discord.com/channels/{fake.guild_id}/{algemeen}/{prompt['id']}"
    nudges = await discord_run.wait(
        lambda: [m for m in fake.messages.values() if "wacht nog op antwoord" in m["content"]]
    )
    assert len(nudges) == 1 and nudges[0]["content"].endswith(link)
    await discord_run.stop()
