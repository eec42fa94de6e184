from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.actions import Action
from bot.commands import CommandCall, CommandSpec, UsageError
from bot.pipeline.managers import ManagerGate, NotManager
from tests.core.pipeline.steps import ANNA, BOSS


async def nothing(call: CommandCall) -> Sequence[Action]:
    return []


CLOSE = CommandSpec(path=("poll", "close"), handler=nothing, manager_only=True)
OPEN = CommandSpec(path=("help",), handler=nothing)


def test_a_member_is_refused_a_manager_only_command() -> None:
    with pytest.raises(NotManager) as refused:
        ManagerGate().check(CLOSE, ANNA)
    assert isinstance(refused.value, UsageError)  # answered through the one error table
    assert refused.value.key == "core.not_manager"
    assert refused.value.params == {"command": "/poll close"}


def test_managers_pass_and_everyone_passes_an_open_command() -> None:
    gate = ManagerGate()
    gate.check(CLOSE, BOSS)
    gate.check(OPEN, ANNA)
    gate.check(OPEN, BOSS)
