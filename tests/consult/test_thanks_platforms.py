"""Thanks in plain words on the Discord and Slack fakes: the platforms' own mention markup, the
quiet reaction through the platform's reaction API, and a kudos_emoji reaction."""

from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun
from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun
from tests.fakes.discord import payloads as dp
from tests.fakes.slack import payloads as p


async def kudos_received(plein, member: str) -> int:  # noqa: ANN001
    total, _ = await plein.features["recognition"].store.kudos_received(member, 1)
    return int(total)


async def test_discord_thanks_with_mentions_and_the_kudos_reaction(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    fake.content_intent_enabled = True
    # A community that was there before Plein: the start-up sync records these members.
    kees, lot, fien = fake.add_member("Kees"), fake.add_member("Lot"), fake.add_member("Fien")
    robot = fake.add_member("Robo", usr=dp.user(fake.new_id(), "Robo", bot=True))
    plein = await discord_run.start()
    thanks = await fake.say(
        kees["id"],
        "algemeen",
        f"Dank je <@{lot['id']}> en <@{robot['id']}> voor de excursie!",
        mentions=[lot["id"], robot["id"]],
    )
    confirm = f"/messages/{thanks['id']}/reactions/"
    await discord_run.wait(lambda: fake.calls_to("PUT", confirm))
    [call] = fake.calls_to("PUT", confirm)
    assert "%F0%9F%8C%BB" in call.path or "🌻" in call.path
    assert await kudos_received(plein, f"discord:{lot['id']}") == 1
    assert await kudos_received(plein, f"discord:{robot['id']}") == 0
    # No extra message: nothing posted, nobody DMed about it.
    assert not [m for m in fake.messages.values() if "kudos" in m["content"].lower()]

    photo = await fake.say(lot["id"], "algemeen", "Hier zijn de foto's van vandaag")
    await fake.react(kees["id"], photo["id"], "🙏")  # within the pair cooldown: nothing
    await fake.react(fien["id"], photo["id"], "🙏")
    confirm = f"/messages/{photo['id']}/reactions/"
    await discord_run.wait(lambda: fake.calls_to("PUT", confirm))
    await discord_run.settle()
    assert len(fake.calls_to("PUT", confirm)) == 1
    assert await kudos_received(plein, f"discord:{lot['id']}") == 2
    await discord_run.stop()


async def test_slack_thanks_with_user_markup_and_a_pray_reaction(slack: SlackRun) -> None:
    await slack.event(
        p.message(
            CAROL, "C0ALGEMEEN", f"Thanks <@{BERT}> for leading the walk!", "1700000300.000001"
        )
    )
    [react] = slack.fake.calls_to("reactions.add")
    assert react["name"] == "sunflower" and react["timestamp"] == "1700000300.000001"
    assert await kudos_received(slack.plein, f"slack:{BERT}") == 1

    await slack.event(p.message(CAROL, "C0ALGEMEEN", f"thanks <@{CAROL}>", "1700000301.000001"))
    await slack.event(p.message(ANNA, "C0ALGEMEEN", f"see you <@{BERT}>", "1700000302.000001"))
    assert len(slack.fake.calls_to("reactions.add")) == 1, "self-thanks and no thanks word"

    await slack.event(p.reaction_added(ANNA, "C0ALGEMEEN", "1700000300.000001", "pray", CAROL))
    assert len(slack.fake.calls_to("reactions.add")) == 2
    assert await kudos_received(slack.plein, f"slack:{CAROL}") == 1
