from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.actions import Action
from bot.events import CommandInvoked, Event, MessagePosted
from bot.pipeline.routes import Routes
from tests.core.pipeline.steps import command, message, pick


async def first(event: Event) -> Sequence[Action]:
    return []


async def second(event: Event) -> Sequence[Action]:
    return []


async def commands(event: Event) -> Sequence[Action]:
    return []


def test_handlers_by_type_in_registration_order() -> None:
    routes = Routes(commands)
    routes.add(MessagePosted, first)
    routes.add(MessagePosted, second)
    assert routes.handlers_for(message()) == (first, second)


def test_commands_always_go_to_the_command_runner() -> None:
    routes = Routes(commands)
    routes.add(CommandInvoked, first)
    assert routes.handlers_for(command("help")) == (commands,)


def test_choices_go_by_prefix_and_a_prefix_has_one_owner() -> None:
    routes = Routes(commands)
    routes.add_choice("poll", first)
    assert routes.handlers_for(pick("poll:1:2")) == (first,)
    assert routes.handlers_for(pick("story:9")) == ()
    with pytest.raises(ValueError, match="claimed twice"):
        routes.add_choice("poll", second)
    routes.add_form("poll", second)
    with pytest.raises(ValueError, match="claimed twice"):
        routes.add_form("poll", first)
