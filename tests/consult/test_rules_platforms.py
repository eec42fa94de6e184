"""Groundrules made together on the Discord and Slack fakes: a proposal is a real poll with
buttons, a manager adopts it, and the announcement names the new version."""

from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun
from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun


async def test_discord_propose_vote_adopt(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    jan, boss = fake.add_member("Jan"), fake.add_member("Fien", roles=["Bestuur"])
    await discord_run.start()
    asked = await fake.slash(jan["id"], "/rules propose", text="Honden aan de lijn bij excursies.")
    reply = await discord_run.wait(lambda: fake.response_to(asked))
    assert "voorstel #1" in reply["data"]["content"]
    algemeen = fake.channel_id("algemeen")
    poll = await discord_run.wait(
        lambda: next(
            (
                m
                for m in fake.messages.values()
                if m["channel_id"] == algemeen and "Voorgestelde spelregel #1" in m["content"]
            ),
            None,
        )
    )
    agree = next(b for b in fake.buttons(poll["id"]) if b["label"] == "Eens")
    clicked = await fake.click(jan["id"], poll["id"], agree["custom_id"])
    await discord_run.wait(lambda: fake.response_to(clicked))

    refused = await fake.slash(jan["id"], "/rules adopt", ref=1)
    assert (
        "beheerders"
        in (await discord_run.wait(lambda: fake.response_to(refused)))["data"]["content"]
    )
    adopted = await fake.slash(boss["id"], "/rules adopt", ref=1, reason="Iedereen eens")
    answer = await discord_run.wait(lambda: fake.response_to(adopted))
    assert "versie 2" in answer["data"]["content"]
    post = await discord_run.wait(
        lambda: next((m for m in fake.messages.values() if m["content"].startswith("📜")), None)
    )
    assert "Honden aan de lijn bij excursies." in post["content"]
    await discord_run.stop()


async def test_slack_propose_vote_adopt_list(slack: SlackRun) -> None:
    hook = await slack.command(BERT, 'rules propose "Tidy up together after every walk."')
    assert "proposal #1" in slack.answers(hook)[0]
    [poll] = [c for c in slack.posts("C0ALGEMEEN") if "Proposed groundrule #1" in c["text"]]
    await slack.click(CAROL, poll, "Agree")
    hook = await slack.command(ANNA, 'rules adopt 1 "Everyone agreed"')
    assert "version 2" in slack.answers(hook)[0]
    [post] = [c for c in slack.posts("C0ALGEMEEN") if c["text"].startswith("📜")]
    assert "Tidy up together after every walk." in post["text"]
    hook = await slack.command(CAROL, "rules list")
    listing = slack.answers(hook)[0]
    assert "Our groundrules (version 2):" in listing
    assert "proposed by the community" in listing
