"""Core text -> Discord message content plus the `allowed_mentions` that go with it. No I/O.

Discord parses mentions from the content, so safety lies in `allowed_mentions`: only the members
Plein itself mentions (its markers, see adapters/markup.py) may be pinged; never @everyone,
@here or a role, whatever a member typed. Two things members type are also neutralised in the
text: masked links (`[label](https://evil)`, which hide where a link goes) get their brackets
escaped, and @everyone / @here get a zero-width space so they do not even look like a ping.
Other markdown stays: it is how members write, and it cannot ping or disguise anything.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import discord

from adapters.markup import MentionMarkers, Rendered
from bot.actions import Choice

CONTENT_LIMIT = 2000
_MASKED_LINK = re.compile(r"\]\s*\(")
_MASS_MENTION = re.compile(r"@(everyone|here)")

NO_PINGS = discord.AllowedMentions(everyone=False, roles=False, users=False, replied_user=False)
"""The client's default: a send that names no member pings nobody."""


def neutralise(text: str) -> str:
    """Member-safe Discord text: no masked link, no mass mention. Escapes only where needed
    (a backslash escape shows as nothing in Discord, so the text still reads the same)."""
    if _MASKED_LINK.search(text):
        text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return _MASS_MENTION.sub("@\u200b\\1", text)


def allowed_mentions(users: tuple[str, ...]) -> discord.AllowedMentions:
    """Ping exactly these members (by id), nobody else."""
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        users=[discord.Object(int(u)) for u in users] if users else False,
        replied_user=False,
    )


class DiscordText:
    def __init__(self, markers: MentionMarkers | None = None) -> None:
        self.markers = markers or MentionMarkers()

    def user(self, snowflake: int) -> str:
        return self.markers.user(str(snowflake))

    def channel(self, snowflake: int) -> str:
        return self.markers.channel(str(snowflake))

    def render(self, text: str) -> Rendered:
        return self.markers.render(
            text,
            user=lambda ident: f"<@{ident}>",
            channel=lambda ident: f"<#{ident}>",
            escape=neutralise,
        )

    def plain(self, text: str) -> str:
        """For places Discord does not parse (button labels, thread names, modal titles)."""
        return self.markers.render(
            text, user=lambda ident: f"<@{ident}>", channel=lambda ident: f"<#{ident}>"
        ).text

    def message(self, text: str) -> dict[str, Any]:
        """`content` and `allowed_mentions` keyword arguments for any discord.py send or edit."""
        rendered = self.render(text)
        return {
            "content": rendered.text[:CONTENT_LIMIT],
            "allowed_mentions": allowed_mentions(rendered.users),
        }

    def labels(self, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
        return tuple(dataclasses.replace(c, label=self.plain(c.label)) for c in choices)
