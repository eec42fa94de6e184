"""Raw timeline events -> what happened, in Plein's terms. Pure: no client, no host."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.matrix.content import (
    POLL_RESPONSE,
    STABLE_POLL_RESPONSE,
    poll_selections,
)
from adapters.matrix.mentions import mentioned_users


@dataclass(frozen=True)
class Joined:
    room_id: str
    user_id: str
    name: str


@dataclass(frozen=True)
class Left:
    room_id: str
    user_id: str
    name: str


@dataclass(frozen=True)
class Said:
    room_id: str
    event_id: str
    user_id: str
    body: str
    thread_root: str | None = None
    reply_to: str | None = None
    mentions: tuple[str, ...] = ()
    """User ids the message mentions (m.mentions and pills), Plein itself left out."""


@dataclass(frozen=True)
class Reacted:
    room_id: str
    event_id: str
    user_id: str
    target: str
    key: str


@dataclass(frozen=True)
class PollVoted:
    room_id: str
    event_id: str
    user_id: str
    poll_event: str
    selections: tuple[str, ...]


Happening = Joined | Left | Said | Reacted | PollVoted

LEFT = frozenset({"leave", "ban"})


def display_name(event: dict[str, Any]) -> str:
    user = str(event.get("state_key") or event.get("sender") or "")
    content = event.get("content") or {}
    name = content.get("displayname") if isinstance(content, dict) else None
    return name if isinstance(name, str) and name.strip() else user.removeprefix("@").split(":")[0]


def translate(room_id: str, event: dict[str, Any], bot_user: str) -> Happening | None:
    """One timeline event as a Plein happening; None for what Plein does not follow (its own
    events, edits, redactions, state it does not need, malformed content)."""
    kind = event.get("type")
    sender = event.get("sender")
    event_id = event.get("event_id")
    content = event.get("content")
    if not isinstance(sender, str) or not isinstance(event_id, str):
        return None
    if not isinstance(content, dict):
        return None
    if kind == "m.room.member":
        return _membership(room_id, event, content, bot_user)
    if sender == bot_user:
        return None
    if kind == "m.room.message":
        return _message(room_id, event_id, sender, content, bot_user)
    if kind == "m.reaction":
        relation = content.get("m.relates_to") or {}
        if relation.get("rel_type") != "m.annotation":
            return None
        target, key = relation.get("event_id"), relation.get("key")
        if not isinstance(target, str) or not isinstance(key, str):
            return None
        return Reacted(room_id, event_id, sender, target, key)
    if kind in (POLL_RESPONSE, STABLE_POLL_RESPONSE):
        relation = content.get("m.relates_to") or {}
        target = relation.get("event_id")
        picked = poll_selections(content)
        if not isinstance(target, str) or picked is None:
            return None
        return PollVoted(room_id, event_id, sender, target, tuple(picked))
    return None


def _membership(
    room_id: str, event: dict[str, Any], content: dict[str, Any], bot_user: str
) -> Happening | None:
    user = event.get("state_key")
    if not isinstance(user, str) or user == bot_user:
        return None
    now = content.get("membership")
    unsigned = event.get("unsigned") or {}
    before = (unsigned.get("prev_content") or {}).get("membership")
    if now == "join" and before != "join":  # a join, not a display name or avatar change
        return Joined(room_id, user, display_name(event))
    if now in LEFT and before in ("join", None):  # not a declined invite
        return Left(room_id, user, display_name({"state_key": user, "content": {}}))
    return None


def _message(
    room_id: str, event_id: str, sender: str, content: dict[str, Any], bot_user: str
) -> Said | None:
    relation = content.get("m.relates_to") or {}
    if not isinstance(relation, dict) or relation.get("rel_type") == "m.replace":
        return None  # an edit: the message was counted when it was first posted
    body = content.get("body")
    if not isinstance(body, str):
        return None
    thread_root = None
    reply_to = None
    if relation.get("rel_type") == "m.thread" and isinstance(relation.get("event_id"), str):
        thread_root = relation["event_id"]
    in_reply = relation.get("m.in_reply_to") or {}
    fallback = relation.get("is_falling_back")
    if isinstance(in_reply, dict) and isinstance(in_reply.get("event_id"), str) and not fallback:
        reply_to = in_reply["event_id"]
    mentions = tuple(u for u in mentioned_users(content, bot_user) if u != sender)
    body = _strip_reply_fallback(body)
    return Said(room_id, event_id, sender, body, thread_root, reply_to, mentions)


def _strip_reply_fallback(body: str) -> str:
    """Older clients quote the replied-to message as '> ' lines first; the member's text is
    what follows the blank line."""
    if not body.startswith("> "):
        return body
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.startswith(">"):
            return "\n".join(lines[index:]).lstrip("\n")
    return ""
