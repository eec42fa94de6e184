"""MESSAGE_CREATE straight from the gateway payload to a Plein event, without a discord.Message.

discord.py parses every MESSAGE_CREATE into a `discord.Message` (author, member, mentions,
components, embeds, attachments, a reference...) before any handler runs; Plein reads six facts
of it and forgets the rest. The gateway is one ordered socket, so an interaction waits behind every
message frame not yet parsed: the cheaper a message frame, the sooner an interaction is seen (and
the less memory a backlog holds). `install` swaps discord.py's parser for MESSAGE_CREATE in the
connection's parser table for `lean_parser`, which reads the raw dict - author, bot flag, channel,
thread, mentions, reply-to, the question flag and the text (kept on the event for detection at
ingest, dropped with it) - and hands the event on. Every other gateway event keeps discord.py's
own parser (edits, deletes, reactions, members, interactions).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import discord

from adapters.discord.translate import (
    PLATFORM,
    member_from_payload,
    member_id,
    message_ref,
)
from bot.events import DirectMessage, Event, MessagePosted, reads_as_question

log = logging.getLogger("plein.discord.lean")

LAST_MESSAGE_KEPT = (
    discord.TextChannel,
    discord.VoiceChannel,
    discord.Thread,
    discord.StageChannel,
)
"""Channels whose `last_message_id` discord.py's own parser keeps up to date; so does this one."""


class Reader:
    """What the lean parser asks of the client (no import of the client: no circle)."""

    def __init__(
        self,
        own_id: Callable[[], int | None],
        guild: Callable[[int], discord.Guild | None],
        ours: Callable[[discord.Guild | None], bool],
        channel_name: Callable[[Any], str | None],
    ) -> None:
        self.own_id = own_id
        self.guild = guild
        self.ours = ours
        self.channel_name = channel_name


def message_event(data: Mapping[str, Any], reader: Reader) -> Event | None:
    """The Plein event for a MESSAGE_CREATE payload (None: not for Plein, or Plein's own)."""
    author = data["author"]
    own = reader.own_id()
    if own is not None and str(author["id"]) == str(own):
        return None
    content = str(data.get("content") or "")
    ident, channel_id = data["id"], data["channel_id"]
    guild_id = data.get("guild_id")
    if guild_id is None:
        return DirectMessage(
            event_id=f"{PLATFORM}:message:{ident}",
            author=member_from_payload(author),
            text=content,
            message_ref=message_ref(channel_id, ident),
        )
    guild = reader.guild(int(guild_id))
    if guild is None or not reader.ours(guild):
        return None
    channel: Any = guild.get_channel_or_thread(int(channel_id))
    root = None
    if isinstance(channel, discord.Thread) and channel.parent_id is not None:
        root = message_ref(channel.parent_id, channel.id)
    if isinstance(channel, LAST_MESSAGE_KEPT):
        channel.last_message_id = int(ident)
    named = reader.channel_name(channel) if channel is not None else None
    name = named or str(channel_id)
    reply_to = reply_to_author = None
    reference = data.get("message_reference")
    if reference and reference.get("message_id") is not None:
        reply_to = message_ref(reference.get("channel_id", channel_id), reference["message_id"])
        replied = data.get("referenced_message")  # the replied-to message, when sent along
        if isinstance(replied, Mapping):
            replied_author = replied.get("author") or {}
            if replied_author.get("id") is not None and not replied_author.get("bot", False):
                reply_to_author = member_id(replied_author["id"])
    mentions = tuple(
        dict.fromkeys(
            member_id(user["id"])
            for user in data.get("mentions") or ()
            if user and not user.get("bot", False)
        )
    )
    return MessagePosted(
        event_id=f"{PLATFORM}:message:{ident}",
        author=member_from_payload(author, data.get("member")),
        channel=name,
        message_ref=message_ref(channel_id, ident),
        length=len(content),
        thread_of=root,
        reply_to=reply_to,
        reply_to_author=reply_to_author,
        question=reads_as_question(content),
        mentions=mentions,
        text=content,
    )


def lean_parser(reader: Reader, take: Callable[[Event], None]) -> Callable[[Any], None]:
    """The MESSAGE_CREATE parser: a payload Plein cannot read is logged and dropped (discord.py
    would let the error end the gateway connection)."""

    def parse_message_create(data: Any) -> None:
        try:
            event = message_event(data, reader)
        except (KeyError, TypeError, ValueError, AttributeError):
            log.warning("a MESSAGE_CREATE Plein cannot read was dropped", exc_info=True)
            return
        if event is not None:
            take(event)

    return parse_message_create


def install(client: discord.Client, reader: Reader, take: Callable[[Event], None]) -> None:
    """Swap discord.py's MESSAGE_CREATE parser for the lean one (the gateway reads this table)."""
    client._connection.parsers["MESSAGE_CREATE"] = lean_parser(reader, take)
