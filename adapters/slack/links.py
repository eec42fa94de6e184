"""Links to Slack messages: Slack makes them (`chat.getPermalink`), the workspace's URL and a
thread's parameters included; Plein never builds one itself."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.translate import split_ref

log = logging.getLogger("plein.slack")


async def permalink(client: AsyncWebClient, ref: str) -> str | None:
    """The message's permalink, or None (not a Slack ref, deleted, a channel Plein left)."""
    try:
        channel, ts = split_ref(ref)
    except ValueError:
        return None
    try:
        response = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as err:
        log.info("no permalink for %s: %s", ref, err.response.get("error"))
        return None
    link = response.get("permalink")
    return link if isinstance(link, str) and link.startswith("https://") else None
