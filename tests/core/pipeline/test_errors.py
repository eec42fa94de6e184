from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

from bot.actions import Action, Reply
from bot.commands import CommandCall, CommandSpec, UsageError
from bot.events import Event
from bot.health import StorageUnavailable
from bot.pipeline.errors import ERROR_REPLIES, ErrorReplies, reply_for
from bot.pipeline.managers import NotManager
from tests.core.pipeline.steps import T, command, message


async def refuses(event: Event) -> Sequence[Action]:
    raise UsageError("core.usage.not_integer", option="days", value="soon")


async def breaks(event: Event) -> Sequence[Action]:
    raise RuntimeError("database gone")


async def answers_nothing(event: Event) -> None:
    return None


async def no_reply(call: CommandCall) -> Sequence[Action]:
    return []


def test_the_table_maps_usage_errors_to_their_key_and_the_rest_to_core_error() -> None:
    assert set(ERROR_REPLIES) == {UsageError, StorageUnavailable, Exception}
    storage = reply_for(StorageUnavailable("OperationalError: database or disk is full"))
    assert storage.unexpected  # logged (throttled), and the member hears nothing was stored
    assert storage.message(StorageUnavailable("x")) == ("core.storage_failed", {})
    usage = reply_for(UsageError("core.usage.quotes"))
    assert usage.message(UsageError("core.usage.quotes")) == ("core.usage.quotes", {})
    assert not usage.unexpected
    refused = NotManager(CommandSpec(path=("wipe",), handler=no_reply, manager_only=True))
    assert reply_for(refused) is usage  # subclasses share the entry
    internal = reply_for(KeyError("x"))
    assert internal.unexpected and internal.message(KeyError("x")) == ("core.error", {})


async def test_a_usage_error_becomes_its_own_friendly_reply(
    caplog: pytest.LogCaptureFixture,
) -> None:
    actions = await ErrorReplies(T).guard(refuses, command("remind"))
    expected = T("core.usage.not_integer", option="days", value="soon")
    assert actions == [Reply(interaction="i1", text=expected)]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_bug_is_logged_and_answered_with_core_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    actions = await ErrorReplies(T).guard(breaks, command("remind"))
    assert actions == [Reply(interaction="i1", text=T("core.error"))]
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None and "database gone" in str(record.exc_info[1])


async def test_without_an_interaction_a_failure_is_only_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert await ErrorReplies(T).guard(breaks, message()) == []
    assert [r.getMessage() for r in caplog.records] == ["handler failed for MessagePosted"]


async def test_a_handler_with_nothing_to_say_gives_no_actions() -> None:
    assert list(await ErrorReplies(T).guard(answers_nothing, message())) == []
