"""A platform that refuses posts for longer than its client library retries: on Slack
(`ratelimited` on every chat.postMessage) the scheduled post arrives once, later, after
Plein's own retries on its clock. (Discord's 429s: tests/faults/test_discord_reconnect.py.)"""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.harness import SlackRun


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
