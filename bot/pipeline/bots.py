"""Bots (Plein included, on platforms that report it as a bot) are not community members:
their messages, reactions, joins and DMs earn nothing and start no conversation.

Recognising Plein's *own* messages needs the platform's idea of "me" (the bot user id), so that
check stays in each adapter; this step covers every other bot, for every feature at once.
"""

from __future__ import annotations

from bot.events import (
    DirectMessage,
    Event,
    Member,
    MemberJoined,
    MemberUpdated,
    MessagePosted,
    ReactionAdded,
)


def acting_member(event: Event) -> Member | None:
    """Who did what this event reports, for the events a bot is ignored in."""
    if isinstance(event, MessagePosted | DirectMessage):
        return event.author
    if isinstance(event, ReactionAdded | MemberJoined | MemberUpdated):
        return event.member
    return None


class IgnoreBots:
    def admits(self, event: Event) -> bool:
        member = acting_member(event)
        return member is None or not member.is_bot
