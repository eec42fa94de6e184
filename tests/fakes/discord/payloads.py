"""Gateway and REST payloads for the fake Discord, shaped after the recorded real payloads in
tests/fixtures/discord/ (each keeps the keys of its template; ids and names are filled in)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "discord"
TIMESTAMP = "2026-03-23T08:00:00.000000+00:00"


@cache
def _fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded payload."""
    return copy.deepcopy(_fixture(name))


def user(ident: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": ident,
        "username": name.lower(),
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "public_flags": 0,
        "bot": bot,
    }


def member(
    usr: dict[str, Any], *, roles: list[str] | None = None, pending: bool = False, flags: int = 0
) -> dict[str, Any]:
    """A guild member in the GUILD_MEMBER_ADD shape (which carries `user`)."""
    data = fixture("guild_member_add.json")["d"]
    data.pop("guild_id", None)
    data.update(
        user=usr, roles=list(roles or []), pending=pending, flags=flags, joined_at=TIMESTAMP
    )
    return data


def role(ident: str, name: str, position: int, permissions: int = 0) -> dict[str, Any]:
    return {
        "id": ident,
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def text_channel(ident: str, guild_id: str, name: str, position: int) -> dict[str, Any]:
    return {
        "id": ident,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def thread(ident: str, guild_id: str, parent_id: str, owner_id: str, name: str) -> dict[str, Any]:
    data = fixture("thread_create.d.json")
    data.update(
        id=ident,
        guild_id=guild_id,
        parent_id=parent_id,
        owner_id=owner_id,
        name=name,
        last_message_id=None,
        message_count=0,
        member_count=1,
        total_message_sent=0,
        rate_limit_per_user=0,
    )
    data["thread_metadata"]["archive_timestamp"] = TIMESTAMP
    return data


def guild(
    ident: str,
    owner_id: str,
    roles: list[dict[str, Any]],
    channels: list[dict[str, Any]],
    members: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "id": ident,
        "name": "De Groene Ring",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": owner_id,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "nl",
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "vanity_url_code": None,
        "application_id": None,
        "features": ["COMMUNITY", "MEMBER_VERIFICATION_GATE_ENABLED"],
        "roles": roles,
        "emojis": [],
        "stickers": [],
        "channels": channels,
        "threads": [],
        "members": members,
        "member_count": len(members),
        "large": False,
        "unavailable": False,
        "joined_at": TIMESTAMP,
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "max_members": 500000,
    }


def message(
    ident: str,
    channel_id: str,
    author: dict[str, Any],
    content: str,
    *,
    guild_id: str | None = None,
    components: list[Any] | None = None,
    attachments: list[Any] | None = None,
    flags: int = 0,
) -> dict[str, Any]:
    data = fixture("interaction.button_click.json")["message"]
    data.update(
        id=ident,
        channel_id=channel_id,
        author=author,
        content=content,
        components=components or [],
        attachments=attachments or [],
        flags=flags,
        timestamp=TIMESTAMP,
    )
    if guild_id is not None:
        data["guild_id"] = guild_id
    return data


def interaction(
    kind: int,
    ident: str,
    token: str,
    application_id: str,
    guild_id: str,
    channel: dict[str, Any],
    mbr: dict[str, Any],
    data: dict[str, Any],
    message_data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """INTERACTION_CREATE `d`, in the recorded gateway shape (slash command template)."""
    payload = fixture("interaction_create.slash_command_options.json")["d"]
    payload.update(
        id=ident,
        token=token,
        type=kind,
        application_id=application_id,
        guild_id=guild_id,
        channel_id=channel["id"],
        channel=channel,
        member={**mbr, "permissions": "2248473465835073"},
        data=data,
        locale="nl",
        guild_locale="nl",
        app_permissions="2248473465835073",
        entitlements=[],
        authorizing_integration_owners={"0": guild_id},
        context=0,
        attachment_size_limit=10 * 1024 * 1024,
    )
    if message_data is not None:
        payload["message"] = message_data
    return payload
