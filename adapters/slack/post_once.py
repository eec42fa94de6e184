"""Posting once through Slack's server errors.

chat.postMessage has no idempotency key: a 5xx (or an answer lost on the way) may come after
Slack stored the message, and posting again would show it twice. What Slack does allow is
message metadata: each post carries `{"event_type": "plein_post", "event_payload": {"key": K}}`,
and conversations.history / conversations.replies return it with `include_all_metadata`. So
after a server error Plein remembers the post's key; when the same post (same channel, thread
and content) is tried again on Plein's clock (adapters/retry.py), it first looks for that key
among the channel's newest messages: found means the earlier try did post (its ts is used, no
second post); not found means it did not, and the post is sent again with a new key.

The look-up reads history (channels:history, groups:history, im:history: scopes Plein has).
When the look-up itself fails, the retry fails too and is tried again later, never blindly.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

METADATA_TYPE = "plein_post"
LOOK_BACK = 100
"""How many of the channel's newest messages are searched for an unsure post's key."""
REMEMBER = 1000


def server_error(exc: Exception) -> bool:
    """The request may have been carried out: a 5xx, or no answer at all."""
    if isinstance(exc, SlackApiError):
        return int(getattr(exc.response, "status_code", 0) or 0) >= 500
    return isinstance(exc, aiohttp.ClientConnectionError | TimeoutError)


Content = tuple[str, str | None, str]


class PostLedger:
    """The keys of posts whose outcome is unknown, by what was posted where."""

    def __init__(self) -> None:
        self._unsure: OrderedDict[Content, str] = OrderedDict()

    @staticmethod
    def content(channel_id: str, thread_ts: str | None, args: Mapping[str, Any]) -> Content:
        digest = hashlib.sha256(json.dumps(args, sort_keys=True).encode()).hexdigest()
        return (channel_id, thread_ts, digest)

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(12)

    @staticmethod
    def metadata(key: str) -> dict[str, Any]:
        return {"event_type": METADATA_TYPE, "event_payload": {"key": key}}

    def unsure(self, content: Content, key: str) -> None:
        """The post with `key` got a server error: it may exist."""
        self._unsure[content] = key
        while len(self._unsure) > REMEMBER:
            self._unsure.popitem(last=False)

    async def earlier_try(self, client: AsyncWebClient, content: Content) -> str | None:
        """The ts of this content's earlier, unsure try if Slack did store it, else None."""
        key = self._unsure.get(content)
        if key is None:
            return None
        channel_id, thread_ts, _ = content
        found = await find_keyed(client, channel_id, thread_ts, key)
        del self._unsure[content]  # looked up: from here on the answer is known
        return found


async def find_keyed(
    client: AsyncWebClient, channel_id: str, thread_ts: str | None, key: str
) -> str | None:
    """The ts of one of the channel's (or thread's) newest messages tagged with `key`, if any."""
    if thread_ts is None:
        response = await client.conversations_history(
            channel=channel_id, limit=LOOK_BACK, include_all_metadata=True
        )
    else:
        response = await client.conversations_replies(
            channel=channel_id, ts=thread_ts, limit=LOOK_BACK, include_all_metadata=True
        )
    for message in response.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_TYPE and payload.get("key") == key:
            return str(message["ts"])
    return None
