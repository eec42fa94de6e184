"""What Plein asks of the Slack Web API, with the small caches that keep calls down:
channel names, user names, DM channels, manager user-group members."""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

log = logging.getLogger("plein.slack.api")

CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
USERGROUP_TTL = 300.0
CHANNEL_REFRESH = 60.0
NAME_CACHE = 5000


def api_error(err: SlackApiError) -> str:
    try:
        return str(err.response.get("error") or "slack_error")
    except Exception:
        return "slack_error"


class SlackPlatform:
    def __init__(
        self,
        client: AsyncWebClient,
        *,
        configured_channels: dict[str, str] | None = None,
        manager_ids: set[str] | None = None,
        manager_usergroup: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self._now = monotonic
        self.by_name: dict[str, str] = dict(configured_channels or {})
        self.by_id: dict[str, str] = {cid: name for name, cid in self.by_name.items()}
        self._channels_loaded = float("-inf")
        self._names: OrderedDict[str, str] = OrderedDict()
        self._dms: dict[str, str] = {}
        self._manager_ids = frozenset(manager_ids or ())
        self._usergroup = manager_usergroup
        self._group_members: frozenset[str] = frozenset()
        self._group_loaded = float("-inf")
        self.bot_user_id: str | None = None
        self.bot_id: str | None = None
        self.identity: AsyncSlackResponse | None = None
        """auth.test's answer, shared with bolt (adapters/slack/adapter.py: build_app)."""

    # ---- identity -------------------------------------------------------------------------

    async def authenticate(self) -> dict[str, Any]:
        response = await self.client.auth_test()
        self.identity = response
        self.bot_user_id = response.get("user_id")
        self.bot_id = response.get("bot_id")
        return dict(response.data) if isinstance(response.data, dict) else {}

    # ---- channels -------------------------------------------------------------------------

    async def load_channels(self, *, force: bool = False) -> None:
        if not force and self._now() - self._channels_loaded < CHANNEL_REFRESH:
            return
        self._channels_loaded = self._now()
        cursor: str | None = None
        try:
            while True:
                response = await self.client.conversations_list(
                    types="public_channel,private_channel",
                    exclude_archived=True,
                    limit=1000,
                    cursor=cursor,
                )
                for channel in response.get("channels") or []:
                    name, cid = channel.get("name"), channel.get("id")
                    if name and cid:
                        self.by_name.setdefault(name, cid)
                        self.by_id.setdefault(cid, name)
                cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
        except SlackApiError as err:
            log.warning("conversations.list failed: %s", api_error(err))

    async def channel_id(self, name: str) -> str | None:
        name = name.removeprefix("#")
        if name in self.by_name:
            return self.by_name[name]
        if CHANNEL_ID.match(name):
            return name
        await self.load_channels()
        return self.by_name.get(name)

    def known_channel_id(self, name: str) -> str | None:
        name = name.removeprefix("#")
        if name in self.by_name:
            return self.by_name[name]
        return name if CHANNEL_ID.match(name) else None

    # ---- users ----------------------------------------------------------------------------

    def remember_name(self, user: str, name: str) -> None:
        self._names[user] = name
        self._names.move_to_end(user)
        while len(self._names) > NAME_CACHE:
            self._names.popitem(last=False)

    async def user_name(self, user: str) -> str | None:
        """The display name (users.info, cached); None when Slack does not know the user."""
        if user in self._names:
            return self._names[user]
        try:
            response = await self.client.users_info(user=user)
        except SlackApiError as err:
            log.info("users.info %s failed: %s", user, api_error(err))
            return None
        info = response.get("user") or {}
        profile = info.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or info.get("real_name")
            or info.get("name")
            or user
        )
        self.remember_name(user, name)
        return name

    def names(self) -> Mapping[str, str]:
        return MappingProxyType(self._names)

    async def managers(self) -> frozenset[str]:
        if self._usergroup is None:
            return self._manager_ids
        if self._now() - self._group_loaded >= USERGROUP_TTL:
            try:
                response = await self.client.usergroups_users_list(usergroup=self._usergroup)
                self._group_members = frozenset(response.get("users") or ())
                self._group_loaded = self._now()
            except SlackApiError as err:
                log.warning("usergroups.users.list failed: %s", api_error(err))
        return self._manager_ids | self._group_members

    # ---- direct messages ------------------------------------------------------------------

    async def dm_channel(self, user: str) -> str:
        """conversations.open (cached); raises SlackApiError when Slack refuses."""
        if user not in self._dms:
            response = await self.client.conversations_open(users=user)
            self._dms[user] = response["channel"]["id"]
        return self._dms[user]
