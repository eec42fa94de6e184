"""The fake Discord's private threads and Guild Scheduled Events, as documented.

- POST /channels/{id}/threads (without a message): a thread; type 12 is private, `invitable`
  is kept in thread_metadata; THREAD_CREATE is dispatched.
- PUT /channels/{thread}/thread-members/{user}: 204; only into a thread; unknown user 10013.
- POST /guilds/{id}/scheduled-events: external events (entity_type 3) need
  entity_metadata.location and a scheduled_end_time (else 50035); GUILD_SCHEDULED_EVENT_CREATE.
- GET/PATCH /guilds/{id}/scheduled-events/{event}: PATCH edits times or sets status 4
  (CANCELED); GUILD_SCHEDULED_EVENT_UPDATE.
- GET /guilds/{id}/scheduled-events/{event}/users: the subscribers, as
  {guild_scheduled_event_id, user}.
Tests subscribe a member with `subscribe()`, which dispatches GUILD_SCHEDULED_EVENT_USER_ADD.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.fakes.discord import payloads as p

PRIVATE_THREAD = 12
PUBLIC_THREAD = 11
EXTERNAL = 3
CANCELED = 4


def _json(data: Any, status: int = 200) -> web.Response:
    """Exactly `application/json`, as Discord sends it (discord.py decodes nothing else)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _invalid(field: str, message: str) -> web.Response:
    errors = {field: {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": message}]}}
    return _json({"message": "Invalid Form Body", "code": 50035, "errors": errors}, status=400)


class GatheringsMixin:
    channels: dict[str, dict[str, Any]]
    members: dict[str, dict[str, Any]]
    guild_id: str
    bot: dict[str, Any]

    if TYPE_CHECKING:  # provided by FakeDiscord and the gateway mixin

        def new_id(self) -> str: ...

        async def dispatch(self, event: str, data: dict[str, Any]) -> None: ...

    def _gatherings_init(self) -> None:
        self.thread_members: dict[str, list[str]] = {}
        self.scheduled_events: dict[str, dict[str, Any]] = {}
        self.subscribers: dict[str, list[str]] = {}
        self.event_user_pages = 0

    def add_gathering_routes(self, r: web.UrlDispatcher, body: Any) -> None:
        self._body = body
        r.add_post("/api/v10/channels/{channel}/threads", self._create_thread)
        r.add_put("/api/v10/channels/{channel}/thread-members/{user}", self._add_thread_member)
        r.add_post("/api/v10/guilds/{guild}/scheduled-events", self._create_event)
        r.add_get("/api/v10/guilds/{guild}/scheduled-events/{event}", self._get_event)
        r.add_patch("/api/v10/guilds/{guild}/scheduled-events/{event}", self._edit_event)
        r.add_get("/api/v10/guilds/{guild}/scheduled-events/{event}/users", self._event_users)

    async def _create_thread(self, request: web.Request) -> web.Response:
        parent = request.match_info["channel"]
        if parent not in self.channels or self.channels[parent].get("type") != 0:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        body = self._body(request) or {}
        kind = int(body.get("type") or PRIVATE_THREAD)
        data = p.thread(self.new_id(), self.guild_id, parent, self.bot["id"], body.get("name", ""))
        data["type"] = kind
        if kind == PRIVATE_THREAD:
            data["thread_metadata"]["invitable"] = bool(body.get("invitable", True))
        self.channels[data["id"]] = data
        self.thread_members[data["id"]] = [self.bot["id"]]
        await self.dispatch("THREAD_CREATE", data)
        return _json({k: v for k, v in data.items() if k != "newly_created"}, status=201)

    async def _add_thread_member(self, request: web.Request) -> web.Response:
        thread, user = request.match_info["channel"], request.match_info["user"]
        if thread not in self.thread_members:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if user not in self.members:
            return _json({"message": "Unknown User", "code": 10013}, status=404)
        if user not in self.thread_members[thread]:
            self.thread_members[thread].append(user)
        return web.Response(status=204)

    async def _create_event(self, request: web.Request) -> web.Response:
        body = self._body(request) or {}
        if int(body.get("entity_type") or 0) == EXTERNAL:
            if not (body.get("entity_metadata") or {}).get("location"):
                return _invalid("entity_metadata", "location is required for external events")
            if not body.get("scheduled_end_time"):
                return _invalid("scheduled_end_time", "required for external events")
        data = {
            "id": self.new_id(),
            "guild_id": self.guild_id,
            "channel_id": body.get("channel_id"),
            "creator_id": self.bot["id"],
            "creator": self.bot,
            "name": body["name"],
            "description": body.get("description"),
            "scheduled_start_time": body["scheduled_start_time"],
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body.get("privacy_level", 2),
            "status": 1,
            "entity_type": body["entity_type"],
            "entity_id": None,
            "entity_metadata": body.get("entity_metadata"),
            "user_count": 0,
            "image": None,
            "sku_ids": [],
            "recurrence_rule": None,
        }
        self.scheduled_events[data["id"]] = data
        self.subscribers[data["id"]] = []
        await self.dispatch("GUILD_SCHEDULED_EVENT_CREATE", data)
        return _json(data)

    async def _get_event(self, request: web.Request) -> web.Response:
        data = self.scheduled_events.get(request.match_info["event"])
        if data is None:
            return _json({"message": "Unknown Guild Scheduled Event", "code": 10070}, status=404)
        return _json(data)

    async def _edit_event(self, request: web.Request) -> web.Response:
        data = self.scheduled_events.get(request.match_info["event"])
        if data is None:
            return _json({"message": "Unknown Guild Scheduled Event", "code": 10070}, status=404)
        body = self._body(request) or {}
        for key in ("name", "description", "scheduled_start_time", "scheduled_end_time", "status"):
            if key in body:
                data[key] = body[key]
        await self.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", data)
        return _json(data)

    async def _event_users(self, request: web.Request) -> web.Response:
        """As documented: `limit` up to 100 (default 100), `before`/`after` a user id (only
        `before` when both), "always returned in ascending order by user_id"."""
        event = request.match_info["event"]
        if event not in self.scheduled_events:
            return _json({"message": "Unknown Guild Scheduled Event", "code": 10070}, status=404)
        query = request.query
        limit = int(query.get("limit", "100"))
        if not 1 <= limit <= 100:
            return _invalid("limit", "must be between 1 and 100")
        self.event_user_pages += 1
        people = sorted((u for u in self.subscribers.get(event, []) if u in self.members), key=int)
        if "before" in query:
            people = [u for u in people if int(u) < int(query["before"])][-limit:]
        else:
            after = int(query.get("after", "0"))
            people = [u for u in people if int(u) > after][:limit]
        return _json(
            [{"guild_scheduled_event_id": event, "user": self.members[u]["user"]} for u in people]
        )

    def unsubscribe_quietly(self, event_id: str, user_id: str) -> None:
        """Interest taken back while Plein is not connected: no gateway event reaches it."""
        self.subscribers[event_id].remove(user_id)
        self.scheduled_events[event_id]["user_count"] = len(self.subscribers[event_id])

    def subscribe_quietly(self, event_id: str, user_id: str) -> None:
        """Interest given while Plein is not connected."""
        self.subscribers[event_id].append(user_id)
        self.scheduled_events[event_id]["user_count"] = len(self.subscribers[event_id])

    async def subscribe(self, event_id: str, user_id: str, *, add: bool = True) -> None:
        """A member presses 'Interested' (or takes it back) on the event in Discord."""
        people = self.subscribers.setdefault(event_id, [])
        if add and user_id not in people:
            people.append(user_id)
        elif not add and user_id in people:
            people.remove(user_id)
        self.scheduled_events[event_id]["user_count"] = len(people)
        kind = "GUILD_SCHEDULED_EVENT_USER_ADD" if add else "GUILD_SCHEDULED_EVENT_USER_REMOVE"
        await self.dispatch(
            kind,
            {"guild_scheduled_event_id": event_id, "user_id": user_id, "guild_id": self.guild_id},
        )
