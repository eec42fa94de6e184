"""A calendar question nobody answers: its hosts' nudge on Slack links to the prompt with the
permalink Slack makes (chat.getPermalink), and member text in it stays text."""

from __future__ import annotations

from tests.adapters.slack.harness import SlackRun


async def test_the_nudge_links_to_the_waiting_prompt(slack_http: SlackRun) -> None:
    slack = slack_http
    await slack.advance(hours=1, minutes=30)  # Monday 09:30: the "mon 09:00" question prompt
    [prompt] = slack.posts("C0ALGEMEEN")
    await slack.advance(hours=4)  # past 09:00 + answer_within, rounded up to the quarter
    nudges = [c for c in slack.posts() if "waiting for an answer" in c["text"]]
    print([(c["channel"], c["text"]) for c in nudges])
    print(prompt["text"])
    [call] = slack.fake.calls_to("chat.getPermalink")
    assert (call["channel"], call["message_ts"]) == ("C0ALGEMEEN", slack.ts_of(prompt))
    link = call.result["permalink"]
    assert len(nudges) == 1 and nudges[0]["text"].endswith(link)
    # a message Slack does not know, a ref that is not Slack's: no link (the nudge goes without)
    assert slack.adapter is not None
    assert await slack.adapter.message_link("C0ALGEMEEN/1699999999.000001") is None
    assert await slack.adapter.message_link("C0NOSUCH/" + slack.ts_of(prompt)) is None
    assert await slack.adapter.message_link("<!channel>") is None
    errors = [c.result["error"] for c in slack.fake.calls_to("chat.getPermalink")[1:]]
    assert errors == ["message_not_found", "channel_not_found"]
