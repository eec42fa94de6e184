"""The Slack member list for Plein's member sync: `users.list` page by page (cursor, limit 200).

Slack limits users.list to Tier 2 (about 20 calls a minute) and answers an excess with HTTP 429
and `Retry-After` (seconds). This pager waits that long on the host's clock, so it never blocks
the loop and scripted runs move past it in simulated time, then asks for the same page again.
Deleted users, bots and USLACKBOT are not members. With a community channel configured, the
members are that channel's (`conversations.members`), still named and filtered by users.list.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.translate import member_id, user_of
from bot.clock import Clock
from bot.events import ListedMember, MembersListed
from bot.host import Host

log = logging.getLogger("plein.slack.members")

PAGE = 200
SLACKBOT = "USLACKBOT"
MAX_RATE_LIMITED = 10
"""Give up a sync after this many 429s in a row (the next start or daily sync tries again)."""


def listed(user: Mapping[str, Any]) -> ListedMember | None:
    """A users.list entry -> a member, or None for deleted users, bots and Slackbot."""
    ident = str(user.get("id", ""))
    if not ident or ident == SLACKBOT or user.get("deleted") or user.get("is_bot"):
        return None
    profile = user.get("profile") or {}
    name = (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or ident
    )
    updated = user.get("updated")
    return ListedMember(
        id=member_id(ident),
        name=str(name),
        # Slack does not say when someone joined; the profile's last update is an upper bound.
        joined_at=datetime.fromtimestamp(updated, UTC) if isinstance(updated, int) else None,
        joined_at_estimated=True,
    )


class SlackMemberList:
    def __init__(
        self,
        client: AsyncWebClient,
        clock: Clock,
        on_name: Callable[[str, str], None] = lambda user, name: None,
    ) -> None:
        """`on_name(user, name)` for every member listed: the adapter's name cache, so a
        member's first message needs no users.info call of its own."""
        self.client = client
        self.clock = clock
        self.on_name = on_name

    async def _call(self, method: Callable[..., Awaitable[Any]], **args: Any) -> Any:
        """One Web API call, retried after HTTP 429 once Retry-After has passed on the clock."""
        for _ in range(MAX_RATE_LIMITED):
            try:
                return await method(**args)
            except SlackApiError as err:
                if err.response.status_code != 429:
                    raise
                retry_after = int(err.response.headers.get("Retry-After", "1") or 1)
                log.info("slack rate limited the member list; retrying in %ss", retry_after)
                wake_at = self.clock.now() + timedelta(seconds=max(retry_after, 1))
                await self.clock.sleep_until(wake_at, asyncio.Event())
        raise RuntimeError("slack kept rate limiting the member list")

    async def _pages(
        self, method: Callable[..., Awaitable[Any]], key: str, **args: Any
    ) -> AsyncIterator[list[Any]]:
        cursor = ""
        while True:
            response = await self._call(method, limit=PAGE, cursor=cursor, **args)
            yield list(response.get(key) or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                return

    async def channel_members(self, channel_id: str) -> set[str]:
        ids: set[str] = set()
        async for page in self._pages(
            self.client.conversations_members, "members", channel=channel_id
        ):
            ids.update(str(u) for u in page)
        return ids

    async def sync(self, host: Host, channel_id: str | None, sync_id: str | None = None) -> int:
        """Stream the members to the core as MembersListed batches (one per page)."""
        sync_id = sync_id or f"slack-{uuid.uuid4().hex}"
        only = await self.channel_members(channel_id) if channel_id else None
        count = 0
        async for page in self._pages(self.client.users_list, "members"):
            batch = tuple(
                m
                for user in page
                if (m := listed(user)) is not None and (only is None or str(user.get("id")) in only)
            )
            count += len(batch)
            for member in batch:
                self.on_name(user_of(member.id), member.name)
            await host.dispatch(MembersListed(sync_id=sync_id, batch=batch))
        await host.dispatch(MembersListed(sync_id=sync_id, batch=(), last=True))
        return count
