"""Plein's ids on Matrix: members are "matrix:@anna:example.org", messages "<room>|<event>"."""

from __future__ import annotations

from urllib.parse import quote

PLATFORM = "matrix"


def member_id(user_id: str) -> str:
    return f"{PLATFORM}:{user_id}"


def user_of(member: str) -> str:
    return member.removeprefix(f"{PLATFORM}:")


def message_ref(room_id: str, event_id: str) -> str:
    return f"{room_id}|{event_id}"


def parse_ref(ref: str) -> tuple[str, str] | None:
    room_id, sep, event_id = ref.partition("|")
    if not sep or not room_id.startswith("!") or not event_id.startswith("$"):
        return None
    return room_id, event_id


def message_link(ref: str) -> str | None:
    """A matrix.to link to the event (any client opens it; no API call), or None."""
    parsed = parse_ref(ref)
    if parsed is None:
        return None
    room_id, event_id = parsed
    return f"https://matrix.to/#/{quote(room_id, safe='!:')}/{quote(event_id, safe=':')}"


def interaction_id(room_id: str, event_id: str, user_id: str) -> str:
    """Where to answer a command or pick: the room, the member's event and the member."""
    return f"{room_id}|{event_id}|{user_id}"


def parse_interaction(ident: str) -> tuple[str, str, str] | None:
    parts = ident.split("|")
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def is_user_id(text: str) -> bool:
    local, sep, server = text.removeprefix("@").partition(":")
    return text.startswith("@") and bool(local) and bool(sep) and bool(server)
