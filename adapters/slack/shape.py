"""Is a parsed Slack body shaped the way bolt reads it? Pure; used before bolt sees a request.

Bolt indexes into a body without checking types (it builds its context from `team`, `user`,
`event.user`, `actions`...), so a signed body with, say, a string where an object belongs ends in
a 500 and a traceback. This checks the types of the fields bolt and Plein read, nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_OBJECTS = ("team", "view", "container", "enterprise", "message", "channel", "user", "state")
_LISTS_OF_OBJECTS = ("actions", "authorizations")
_STRINGS = (
    "type",
    "token",
    "team_id",
    "user_id",
    "channel_id",
    "enterprise_id",
    "event_id",
    "trigger_id",
    "response_url",
    "api_app_id",
    "command",
    "text",
)
_EVENT_OBJECTS = ("item", "message", "previous_message", "assistant_thread", "files")
_EVENT_STRING_OR_OBJECT = ("user", "channel")
_EVENT_STRINGS = ("type", "ts", "thread_ts", "text", "subtype", "channel_type", "bot_id")


def shape_problem(body: Mapping[str, Any]) -> str | None:
    """What is wrongly typed in this body, or None."""
    for key in _OBJECTS:
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"'{key}' is not an object"
    for key in _LISTS_OF_OBJECTS:
        value = body.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, dict) for v in value)
        ):
            return f"'{key}' is not a list of objects"
    for key in _STRINGS:
        if body.get(key) is not None and not isinstance(body[key], str):
            return f"'{key}' is not a string"
    event = body.get("event")
    if event is None:
        return None
    if not isinstance(event, dict):
        return "'event' is not an object"
    for key in _EVENT_OBJECTS:
        if event.get(key) is not None and not isinstance(event[key], dict | list):
            return f"'event.{key}' is not an object"
    for key in _EVENT_STRING_OR_OBJECT:
        if event.get(key) is not None and not isinstance(event[key], str | dict):
            return f"'event.{key}' is not a string or an object"
    for key in _EVENT_STRINGS:
        if event.get(key) is not None and not isinstance(event[key], str):
            return f"'event.{key}' is not a string"
    return None
