from __future__ import annotations

from bot.events import Member, MemberJoined, MemberLeft, ReactionAdded
from bot.pipeline.bots import IgnoreBots
from tests.core.pipeline.steps import command, message

BOT = Member("discord:9", "helper-bot", is_bot=True)
HUMAN = Member("discord:1", "anna")


def test_bot_messages_reactions_and_joins_are_ignored() -> None:
    step = IgnoreBots()
    assert not step.admits(message(BOT))
    assert not step.admits(MemberJoined(member=BOT))
    assert not step.admits(ReactionAdded(member=BOT, message_ref="m1", emoji="👍"))


def test_people_pass_and_so_does_a_bot_leaving() -> None:
    step = IgnoreBots()
    assert step.admits(message(HUMAN))
    assert step.admits(ReactionAdded(member=HUMAN, message_ref="m1", emoji="👍"))
    assert step.admits(MemberLeft(member=BOT))
    assert step.admits(command("help"))
