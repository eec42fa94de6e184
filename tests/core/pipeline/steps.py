"""Shared bits for the pipeline tests: events and a platform fake that records what it is asked."""

from __future__ import annotations

from bot.actions import Action, Delivery
from bot.events import Actor, ChoicePicked, CommandInvoked, Interaction, Member, MessagePosted
from bot.i18n import Translator

T = Translator("en")
ANNA = Actor("console:anna", "anna")
BOSS = Actor("console:boss", "boss", is_manager=True)


class RecordingPlatform:
    """Implements the Gateway port the way a platform would, keeping what it performed."""

    def __init__(self) -> None:
        self.performed: list[Action] = []

    async def perform(self, action: Action) -> Delivery:
        self.performed.append(action)
        return Delivery(ref=str(len(self.performed)))

    def mention(self, member_id: str) -> str:
        return "@" + member_id.split(":", 1)[-1]

    def channel_mention(self, channel: str) -> str:
        return "#" + channel

    async def resolve_member(self, token: str) -> Member | None:
        name = token.removeprefix("@")
        return Member(f"console:{name}", name) if name in {"anna", "bob"} else None


def message(author: Member = ANNA, event_id: str | None = None) -> MessagePosted:
    return MessagePosted(
        author=author, channel="algemeen", message_ref="m1", length=12, event_id=event_id
    )


def command(*path: str, actor: Actor = ANNA, **options: object) -> CommandInvoked:
    return CommandInvoked(
        actor=actor, path=path, options=options, interaction=Interaction(id="i1", channel="x")
    )


def pick(choice_id: str, actor: Actor = ANNA) -> ChoicePicked:
    return ChoicePicked(
        actor=actor, message_ref="m1", choice_id=choice_id, interaction=Interaction(id="i2")
    )
