"""A platform that refuses posts for longer than its client library retries: on Slack
(`ratelimited` on every chat.postMessage) the scheduled post arrives once, later, after
Plein's own retries on its clock. (Discord's 429s: tests/faults/test_discord_reconnect.py.)"""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.harness import SlackRun
from tests.fakes.slack import Call


async def test_slack_rate_limited_for_a_minute_posts_the_scheduled_prompt_once(
    tmp_path: Path,
) -> None:
    slack = await SlackRun(tmp_path).start()  # Monday 08:00; the "mon 09:00" slot is ahead
    fake = slack.fake
    fake.retry_after = 0  # slack_sdk's own two retries come at once; Plein's wait on its clock
    already = len(fake.calls_to("chat.postMessage"))
    refusals = 8  # slack_sdk tries 3 times; Plein's pauses of 5, 10 and 20 s cover the rest
    fake.rate_limited["chat.postMessage"] = set(range(already + 1, already + refusals + 1))
    await slack.advance(hours=1, minutes=2)
    await slack.advance(minutes=2)

    tries = slack.posts("C0ALGEMEEN")
    posted = [c for c in tries if c.result.get("ok")]
    refused = [c for c in tries if c.result.get("error") == "ratelimited"]
    assert len(refused) == refusals
    assert len(posted) == 1, "the slot's prompt arrives once, after the refusals"
    assert all(c["text"] == posted[0]["text"] for c in tries), "every try is the same post"
    await slack.stop()


def prompts(slack: SlackRun) -> list[dict[str, object]]:
    """What the channel really shows (the fake's stored messages), not what was tried."""
    return [m for (channel, _), m in slack.fake.messages.items() if channel == "C0ALGEMEEN"]


def lookups(slack: SlackRun) -> list[Call]:
    """History reads that ask for message metadata: Plein looking for an unsure post's key."""
    return [
        c
        for c in slack.fake.calls_to("conversations.history")
        if str(c.get("include_all_metadata")).lower() in ("true", "1")
    ]


async def test_slack_server_errors_for_a_minute_post_the_scheduled_prompt_once_later(
    tmp_path: Path,
) -> None:
    slack = await SlackRun(tmp_path).start()  # Monday 08:00; the "mon 09:00" slot is ahead
    fake = slack.fake
    shown_before = len(prompts(slack))
    already = len(fake.calls_to("chat.postMessage"))
    refusals = 5  # tries at 0, 5, 15, 35 and 75 s answer 500; the one at 135 s goes through
    fake.server_errors["chat.postMessage"] = set(range(already + 1, already + refusals + 1))
    await slack.advance(hours=1, minutes=2)
    await slack.advance(minutes=3)

    tries = slack.posts("C0ALGEMEEN")[already:]
    failed = [c for c in tries if c.result.get("error") == "http_500"]
    posted = [c for c in tries if c.result.get("ok")]
    assert len(failed) == refusals
    assert len(posted) == 1, "the slot's prompt arrives once, after a minute of server errors"
    assert all(c["text"] == posted[0]["text"] for c in tries), "every try is the same post"
    # Before each new try Plein looked whether the failed one had been stored after all.
    assert len(lookups(slack)) == refusals
    assert len(prompts(slack)) == shown_before + 1
    await slack.stop()


async def test_slack_server_error_after_the_post_was_made_does_not_post_twice(
    tmp_path: Path,
) -> None:
    slack = await SlackRun(tmp_path).start()
    fake = slack.fake
    shown_before = len(prompts(slack))
    already = len(fake.calls_to("chat.postMessage"))
    fake.server_errors_after["chat.postMessage"] = {already + 1}  # stored, then answered 500
    await slack.advance(hours=1, minutes=2)
    await slack.advance(minutes=1)

    tries = slack.posts("C0ALGEMEEN")[already:]
    assert [c.result.get("error") for c in tries] == ["http_500"], "no second chat.postMessage"
    assert len(lookups(slack)) == 1
    shown = prompts(slack)[shown_before:]
    assert len(shown) == 1, "the member sees the prompt once"
    assert shown[0]["text"] == tries[0]["text"]
    await slack.stop()
