"""The steps together: the real Dispatcher and Outbox in front of a recording platform."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action, PostMessage, Reply
from bot.commands import CommandCall, CommandRegistry, CommandSpec
from bot.dispatcher import Dispatcher
from bot.events import ChoicePicked, Member, MessagePosted
from bot.gateway import Outbox
from tests.core.pipeline.steps import BOSS, RecordingPlatform, T, command, message, pick


def dispatcher() -> tuple[Dispatcher, RecordingPlatform, list[str]]:
    platform = RecordingPlatform()
    registry = CommandRegistry()
    seen: list[str] = []

    async def wipe(call: CommandCall) -> Sequence[Action]:
        seen.append("wipe")
        return [call.reply("wiped")]

    registry.add(CommandSpec(path=("wipe",), handler=wipe, manager_only=True))
    return Dispatcher(Outbox(platform), registry, T), platform, seen


async def test_a_replayed_event_reaches_the_handlers_once() -> None:
    bus, _, seen = dispatcher()

    async def count(event: MessagePosted) -> None:
        seen.append(event.message_ref)

    bus.on(MessagePosted, count)
    for _ in range(3):
        await bus.dispatch(message(event_id="slack:Ev1"))
    await bus.dispatch(message(Member("slack:B1", "bot", is_bot=True), event_id="slack:Ev2"))
    assert seen == ["m1"]


async def test_a_failing_handler_answers_and_the_next_handler_still_runs() -> None:
    bus, platform, _ = dispatcher()

    async def broken(event: ChoicePicked) -> Sequence[Action]:
        raise RuntimeError("boom")

    async def fine(event: MessagePosted) -> Sequence[Action]:
        return [PostMessage(channel="algemeen", text="ok")]

    async def fails_on_messages(event: MessagePosted) -> Sequence[Action]:
        raise RuntimeError("boom")

    bus.on_choice("poll", broken)
    bus.on(MessagePosted, fails_on_messages)
    bus.on(MessagePosted, fine)
    await bus.dispatch(pick("poll:1:1"))
    deliveries = await bus.dispatch(message())
    assert platform.performed == [
        Reply(interaction="i2", text=T("core.error")),
        PostMessage(channel="algemeen", text="ok"),
    ]
    assert [d.ok for d in deliveries] == [True]


async def test_the_manager_gate_answers_a_member_and_lets_a_manager_through() -> None:
    bus, platform, seen = dispatcher()
    await bus.dispatch(command("wipe"))
    await bus.dispatch(command("wipe", actor=BOSS))
    assert platform.performed == [
        Reply(interaction="i1", text=T("core.not_manager", command="/wipe")),
        Reply(interaction="i1", text="wiped"),
    ]
    assert seen == ["wipe"]
