"""Surveys on the Discord and Slack fakes: the survey post's button opens a real modal, the
submitted answers are stored (and can be changed), managers see the results."""

from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun
from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun


async def test_discord_survey_in_a_modal(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    boss, jan = fake.add_member("Fien", roles=["Bestuur"]), fake.add_member("Jan")
    plein = await discord_run.start()
    asked = await fake.slash(
        boss["id"],
        "/survey new",
        title="Het najaarsprogramma",
        question1="poll: Welke dag? / zaterdag / zondag",
        question2="Wat wil je nog kwijt?",
    )
    assert (
        "Vragenlijst #1"
        in (await discord_run.wait(lambda: fake.response_to(asked)))["data"]["content"]
    )
    post = await discord_run.wait(
        lambda: next(
            (m for m in fake.messages.values() if "📋 Vragenlijst #1" in m["content"]), None
        )
    )
    [button] = fake.buttons(post["id"])
    for answer in ("zaterdag", "zondag"):  # answered, then changed
        clicked = await fake.click(jan["id"], post["id"], button["custom_id"])
        modal = await discord_run.wait(lambda clicked=clicked: fake.response_to(clicked))
        assert modal["type"] == 9
        submitted = await fake.submit(
            jan["id"], modal["data"]["custom_id"], {"0": [answer], "1": "Meer <@&1> koffie"}
        )
        reply = await discord_run.wait(lambda submitted=submitted: fake.response_to(submitted))
        assert "bewaard" in reply["data"]["content"]
    [response] = await plein.features["surveys"].store.responses(1)
    assert dict(response.answers) == {0: "zondag", 1: "Meer <@&1> koffie"}
    results = await fake.slash(boss["id"], "/survey results", ref=1)
    shown = (await discord_run.wait(lambda: fake.response_to(results)))["data"]
    assert "zondag: 1 (100%)" in shown["content"]
    assert shown["allowed_mentions"]["parse"] == [], "member text is never a ping"
    await discord_run.stop()


async def test_slack_survey_in_a_modal_and_nonvoters(slack: SlackRun) -> None:
    hook = await slack.command(
        ANNA, 'survey "Walk programme" "poll: Which day? / Saturday / Sunday" "Anything else?"'
    )
    assert "Survey #1" in slack.answers(hook)[0]
    [post] = [c for c in slack.posts("C0ALGEMEEN") if "📋 Survey #1" in c["text"]]
    await slack.click(BERT, post, "Answer")
    opened = slack.fake.calls_to("views.open")[-1]
    assert opened["view"]["callback_id"].startswith("survey:1")
    await slack.submit(BERT, opened, {"0": "Sunday", "1": "More <birds> & coffee"})
    hook = await slack.command(ANNA, "survey nonresponders 1")
    listing = slack.answers(hook)[0]
    assert f"<@{ANNA}>" in listing and f"<@{CAROL}>" in listing and f"<@{BERT}>" not in listing
    hook = await slack.command(ANNA, "survey results 1")
    assert "More &lt;birds&gt; &amp; coffee" in slack.answers(hook)[0]

    hook = await slack.command(BERT, 'poll "Which day?" Monday Tuesday')
    [poll] = [c for c in slack.posts("C0ALGEMEEN") if "Which day?" in c["text"]]
    await slack.click(CAROL, poll, "Monday")
    hook = await slack.command(ANNA, "poll nonvoters 1")
    [answer] = slack.answers(hook)
    assert f"<@{CAROL}>" not in answer and f"<@{BERT}>" in answer
