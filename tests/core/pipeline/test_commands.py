from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.actions import Action, Reply
from bot.commands import CommandCall, CommandRegistry, CommandSpec, Option, OptionKind, UsageError
from bot.events import Member
from bot.pipeline.commands import RunCommand
from bot.pipeline.managers import ManagerGate, NotManager
from tests.core.pipeline.steps import BOSS, RecordingPlatform, command


def runner(calls: list[CommandCall] | None = None) -> RunCommand:
    async def kudos(call: CommandCall) -> Sequence[Action]:
        if calls is not None:
            calls.append(call)
        return [call.reply("thanks")]

    registry = CommandRegistry()
    registry.add(
        CommandSpec(
            path=("kudos",),
            handler=kudos,
            options=(Option("member", OptionKind.MEMBER), Option("points", OptionKind.INTEGER)),
        )
    )
    registry.add(CommandSpec(path=("wipe",), handler=kudos, manager_only=True))
    return RunCommand(registry, ManagerGate(), RecordingPlatform().resolve_member)


async def test_the_handler_gets_converted_options() -> None:
    calls: list[CommandCall] = []
    actions = await runner(calls)(command("kudos", member="@bob", points="3"))
    assert actions == [Reply(interaction="i1", text="thanks")]
    assert calls[0].options == {"member": Member("console:bob", "bob"), "points": 3}


async def test_an_unknown_command_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as error:
        await runner()(command("nope", "deeper"))
    assert (error.value.key, error.value.params) == (
        "core.usage.unknown_command",
        {"command": "/nope deeper"},
    )


async def test_the_manager_gate_runs_before_the_options_are_checked() -> None:
    calls: list[CommandCall] = []
    with pytest.raises(NotManager):
        await runner(calls)(command("wipe", bogus="1"))
    with pytest.raises(UsageError) as error:
        await runner(calls)(command("wipe", actor=BOSS, bogus="1"))
    assert error.value.key == "core.usage.unknown_option"
    assert calls == []
