"""`plein slack manifest`: the app manifest for "Create New App -> From a manifest".

Scopes and events are exactly what the adapter uses; a tiny YAML emitter (no PyYAML needed).
"""

from __future__ import annotations

import json
from typing import Any

from bot.config import ConfigError, PleinConfig

SLASH_COMMAND = "/plein"

BASE_SCOPES = [
    "chat:write",  # post, update, ephemeral answers
    "chat:write.public",  # post in public channels Plein was not invited to
    "commands",  # /plein
    "users:read",  # member names, team_join, user_change
    "channels:read",  # channel names -> ids, member_joined_channel (public)
    "groups:read",  # the same for private channels
    "channels:history",  # message.channels (activity, thread replies)
    "groups:history",  # message.groups
    "im:history",  # message.im (answers in DM)
    "im:write",  # conversations.open for DMs
    "mpim:write",  # conversations.open with several users: an introduction's group DM
    "reactions:read",  # reaction_added
    "reactions:write",  # reactions.add
    "files:write",  # report charts (files upload v2)
]


def bot_events(config: PleinConfig) -> list[str]:
    events = ["message.channels", "message.groups", "message.im", "reaction_added"]
    if config.slack.join_event == "team_join":
        return ["team_join", "user_change", *events]
    return ["member_joined_channel", "member_left_channel", *events]


def scopes(config: PleinConfig) -> list[str]:
    extra = ["usergroups:read"] if config.slack.manager_usergroup else []
    return BASE_SCOPES + extra


def manifest(config: PleinConfig) -> dict[str, Any]:
    http = config.slack.mode == "http"
    request_url = None
    if http:
        if not config.slack.public_url:
            raise ConfigError(
                "slack",
                [
                    "slack.public_url: missing; HTTP mode needs the public https address Slack "
                    'sends events to, like public_url = "https://plein.example.org"'
                ],
            )
        base = config.slack.public_url.rstrip("/")
        request_url = base + config.slack.path
    description = f"Plein, the community bot of {config.community.name}"[:140]
    command: dict[str, Any] = {
        "command": SLASH_COMMAND,
        "description": "Plein: polls, kudos, your profile and more (/plein help)",
        "usage_hint": "help | poll | kudos @member | ...",
        "should_escape": True,
    }
    if request_url:
        command["url"] = request_url
    subscriptions: dict[str, Any] = {"bot_events": bot_events(config)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if request_url:
        subscriptions = {"request_url": request_url, **subscriptions}
        interactivity["request_url"] = request_url
    return {
        "display_information": {"name": "Plein", "description": description},
        "features": {
            "app_home": {
                "home_tab_enabled": False,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "plein", "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": {"scopes": {"bot": scopes(config)}},
        "settings": {
            "event_subscriptions": subscriptions,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": not http,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(config: PleinConfig) -> str:
    return "\n".join(_emit(manifest(config), 0)) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _emit(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines += _emit(item, indent + 1)
            else:
                lines.append(f"{pad}{key}: {_scalar(item) if item != [] else '[]'}")
        return lines
    for item in value:
        if isinstance(item, dict):
            nested = _emit(item, indent + 1)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines += nested[1:]
        else:
            lines.append(f"{pad}- {_scalar(item)}")
    return lines
