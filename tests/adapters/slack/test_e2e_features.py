"""Features in a Slack workspace: polls with Block Kit buttons and chat.update tallies, kudos,
welcome questions through a modal, a scheduled calendar prompt."""

from __future__ import annotations

from adapters.slack.blocks import escape
from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun
from tests.fakes.slack import payloads as p


async def test_poll_buttons_and_tallies(slack: SlackRun) -> None:
    hook = await slack.command(BERT, 'poll "Which day?" Monday Tuesday')
    [poll] = [c for c in slack.posts("C0ALGEMEEN") if "Which day?" in c["text"]]
    assert [b["text"]["text"] for b in poll.buttons()] == ["Monday", "Tuesday"]
    assert slack.answers(hook) and "/plein poll close 1" in slack.answers(hook)[0]
    await slack.click(BERT, poll, "Monday")
    await slack.click(CAROL, poll, "Tuesday")
    await slack.click(ANNA, poll, "Monday")
    await slack.advance(minutes=2)  # past the core's tally coalescing interval
    updates = slack.fake.calls_to("chat.update", channel="C0ALGEMEEN", ts=slack.ts_of(poll))
    assert updates, "the tally was never edited"
    last = updates[-1]
    assert "2 (67%)" in last["text"] and "1 (33%)" in last["text"]
    assert [b["value"] for b in last.buttons()] == [b["value"] for b in poll.buttons()]
    # Fewer edits than votes: the core coalesces and the adapter respects Slack's rate.
    assert len(updates) <= 3
    # Each voter got a private confirmation through the click's response_url.
    confirmations = [c for c in slack.fake.calls_to("response_url") if c["hook"].startswith("act")]
    assert len(confirmations) == 3
    assert all(c["response_type"] == "ephemeral" for c in confirmations)


async def test_kudos(slack: SlackRun) -> None:
    hook = await slack.command(CAROL, 'kudos <@UBERT002|bert> "led the bird walk"')
    [answer] = slack.answers(hook)
    assert "<@UBERT002>" in answer
    [dm] = slack.dms(BERT)
    assert "<@UCAROL03>" in dm["text"] and "led the bird walk" in dm["text"]


async def test_kudos_to_unknown_member_is_a_friendly_error(slack: SlackRun) -> None:
    hook = await slack.command(CAROL, 'kudos <@UNOBODY99|ghost> "thanks"')
    [answer] = slack.answers(hook)
    # What the member typed is echoed as text (escaped on the wire), not as a mention.
    assert answer == escape(slack.plein.t("core.usage.no_member", value="<@UNOBODY99|ghost>"))


async def test_welcome_questions_through_a_modal(slack: SlackRun) -> None:
    slack.fake.add_user("UIDA0009", "Ida")
    await slack.event(p.team_join("UIDA0009", "Ida"))
    [welcome] = slack.dms("UIDA0009")
    await slack.click_as("UIDA0009", "Ida", welcome, "onboarding:form")
    [opened] = slack.fake.calls_to("views.open")
    view = opened["view"]
    assert view["type"] == "modal" and view["callback_id"] == "onboarding:answers"
    fields = {b["block_id"]: b for b in view["blocks"]}
    assert fields["interesse"]["element"]["type"] == "static_select"
    assert fields["verwachting"]["optional"] is True
    await slack.submit_as(
        "UIDA0009",
        "Ida",
        opened,
        {"woonplaats": "Utrecht", "interesse": "Vogels", "bijdrage": "Tellingen"},
    )
    answers = await slack.plein.features["onboarding"].store.answers("slack:UIDA0009")
    assert answers["woonplaats"] == "Utrecht" and answers["interesse"] == "Vogels"


async def test_expired_trigger_offers_a_button_that_opens_the_modal(slack: SlackRun) -> None:
    slack.fake.add_user("UJAN0010", "Jan")
    await slack.event(p.team_join("UJAN0010", "Jan"))
    [welcome] = slack.dms("UJAN0010")
    await slack.click_as("UJAN0010", "Jan", welcome, "onboarding:form", trigger_valid=False)
    [refused] = slack.fake.calls_to("views.open")
    assert refused.result["error"] == "expired_trigger_id"
    offer = slack.dms("UJAN0010")[-1]
    [button] = offer.buttons()
    await slack.click_as("UJAN0010", "Jan", offer, button["value"])
    opened = slack.fake.calls_to("views.open")[-1]
    assert opened.result["ok"] and opened["view"]["callback_id"] == "onboarding:answers"


async def test_scheduled_prompts_are_posted_in_the_right_channels(slack: SlackRun) -> None:
    assert slack.posts("C0ALGEMEEN") == []
    await slack.advance(hours=1, minutes=30)  # Monday 08:00 -> 09:30: the "mon 09:00" slot
    assert len(slack.posts("C0ALGEMEEN")) == 1
    assert slack.posts("C0DOEMEE") == []
    await slack.advance(days=3, hours=10)  # Thursday 19:30: the slot with channel = "doe-mee"
    [prompt] = slack.posts("C0DOEMEE")
    assert "thread_ts" not in prompt.args


async def test_stelling_buttons_and_thread_replies(slack: SlackRun) -> None:
    await slack.command(ANNA, 'stelling "Cats stay inside in spring"')
    [stelling] = [c for c in slack.posts("C0ALGEMEEN") if "Cats stay inside" in c["text"]]
    assert len(stelling.buttons()) >= 2
    ts = slack.ts_of(stelling)
    await slack.click(BERT, stelling, stelling.buttons()[0]["value"])
    await slack.event(p.message(CAROL, "C0ALGEMEEN", "I disagree because...", "1700000099.000001",
                                thread_ts=ts))  # fmt: skip
    await slack.advance(minutes=2)
    assert slack.fake.calls_to("chat.update", ts=ts)


async def test_report_chart_is_uploaded_with_files_v2(slack: SlackRun) -> None:
    await slack.command(ANNA, "report")
    [complete] = slack.fake.calls_to("files.completeUploadExternal")
    assert complete["channel_id"] == f"D{ANNA}"  # an ephemeral answer with a file: in DM
    assert complete["files"][0]["title"]
    [upload] = slack.fake.calls_to("upload")
    assert upload["size"] > 1000  # a real PNG chart
