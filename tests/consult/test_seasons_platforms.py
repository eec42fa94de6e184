"""The season's recognition on the Discord and Slack fakes: posted once, in the channel, with real
mentions; a restart after the post does not post it again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.adapters.discord.harness import DiscordRun
from tests.adapters.slack.harness import BERT, CAROL, SlackRun
from tests.fakes.slack import payloads as p

MONTHLY = {"PLEIN_RECOGNITION__SEASON": "month"}


async def test_discord_posts_the_season_once(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    fake.content_intent_enabled = True
    kees, lot = fake.add_member("Kees"), fake.add_member("Lot")
    discord_run.env.update(MONTHLY)
    plein = await discord_run.start()
    await fake.say(kees["id"], "algemeen", f"Dank je <@{lot['id']}>!", mentions=[lot["id"]])
    await fake.say(lot["id"], "algemeen", "Graag gedaan, het was een mooie dag")
    await discord_run.settle()
    time = plein.time_control
    assert time is not None
    await time.advance_to(plein.clock.now() + timedelta(days=9))
    algemeen = fake.channel_id("algemeen")

    def season_posts() -> list[dict]:
        return [
            m
            for m in fake.messages.values()
            if m["channel_id"] == algemeen and "zit erop" in m["content"]
        ]

    [post] = await discord_run.wait(lambda: season_posts() or None)
    assert f"Meest bedankt: <@{lot['id']}> (1×)" in post["content"]
    await discord_run.stop()

    again = DiscordRun(fake=fake, db_path=discord_run.db_path, env=dict(MONTHLY))
    plein = await again.start("2026-04-01T09:00:00+02:00")
    await again.settle()
    assert len(season_posts()) == 1
    await again.stop()


async def test_slack_posts_the_season_once(tmp_path: Path) -> None:
    slack = await SlackRun(tmp_path, mode="socket", env=dict(MONTHLY)).start()
    try:
        await slack.event(
            p.message(CAROL, "C0ALGEMEEN", f"Thanks <@{BERT}> for the map!", "1700000400.000001")
        )
        await slack.advance(days=9)
        [post] = [c for c in slack.posts("C0ALGEMEEN") if "is over" in c["text"]]
        assert f"Most thanked: <@{BERT}> (1×)" in post["text"]
        await slack.advance(days=2)
        assert len([c for c in slack.posts("C0ALGEMEEN") if "is over" in c["text"]]) == 1
    finally:
        await slack.stop()
