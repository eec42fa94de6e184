"""Links to Discord messages: built from ids, no API call (Discord's own "Copy Message Link")."""

from __future__ import annotations

from adapters.discord.translate import parse_ref


def message_link(guild_id: int | None, ref: str) -> str | None:
    """`https://discord.com/channels/<guild>/<channel>/<message>` for a Plein message ref
    ("<channel>/<message>"; a thread's messages name the thread as their channel)."""
    parsed = parse_ref(ref)
    if guild_id is None or parsed is None:
        return None
    channel, message = parsed
    return f"https://discord.com/channels/{guild_id}/{channel}/{message}"
