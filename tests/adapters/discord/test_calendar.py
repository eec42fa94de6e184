"""A scheduled prompt from the content calendar lands in its configured channel."""

from __future__ import annotations

from datetime import timedelta

from tests.adapters.discord.harness import DiscordRun


async def test_scheduled_prompt_is_posted_in_the_slot_channel(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    plein = await discord_run.start()  # Monday 2026-03-23 08:00 local
    scheduler = plein.scheduler
    assert hasattr(scheduler, "advance_to")
    await scheduler.advance_to(plein.clock.now() + timedelta(days=3, hours=11, minutes=31))
    await discord_run.settle()
    doe_mee = fake.channel_id("doe-mee")
    posts = await discord_run.wait(
        lambda: [m for m in fake.messages.values() if m["channel_id"] == doe_mee]
    )
    assert "Tegelwippen" in posts[0]["content"]
    threads = [c.path for c in fake.calls_to("POST", "/threads")]
    assert f"/channels/{doe_mee}/messages/{posts[0]['id']}/threads" in threads
    algemeen = fake.channel_id("algemeen")
    assert [m for m in fake.messages.values() if m["channel_id"] == algemeen], "monday's slot"
    await discord_run.stop()
