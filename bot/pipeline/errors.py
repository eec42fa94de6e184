"""One table from a handler's failure to the member's localised reply.

A `UsageError` (bad argument, not allowed, unknown command) answers with its own message key;
`StorageUnavailable` says plainly that nothing was stored (and is logged); anything else is a bug: logged with its traceback and answered with `core.error`. Only events
that carry an interaction (commands, clicks, forms) can be answered; the rest are just logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from bot.actions import Action, Reply
from bot.command_words import CommandWords
from bot.commands import UsageError
from bot.events import Event, Interaction
from bot.health import StorageUnavailable
from bot.i18n import Translator
from bot.pipeline import EventHandler

log = logging.getLogger("plein.dispatcher")


@dataclass(frozen=True)
class ErrorReply:
    message: Callable[[Exception], tuple[str, Mapping[str, Any]]]
    """The message key and its parameters for this failure."""
    unexpected: bool
    """Logged with a traceback (a bug), rather than a member's mistake."""


def _usage(error: Exception) -> tuple[str, Mapping[str, Any]]:
    assert isinstance(error, UsageError)
    return error.key, error.params


def _storage(error: Exception) -> tuple[str, Mapping[str, Any]]:
    return "core.storage_failed", {}


def _internal(error: Exception) -> tuple[str, Mapping[str, Any]]:
    return "core.error", {}


ERROR_REPLIES: Mapping[type[Exception], ErrorReply] = MappingProxyType(
    {
        UsageError: ErrorReply(_usage, unexpected=False),
        StorageUnavailable: ErrorReply(_storage, unexpected=True),
        Exception: ErrorReply(_internal, unexpected=True),
    }
)


def reply_for(error: Exception) -> ErrorReply:
    """The table entry of the most specific class of `error` (the table ends with Exception)."""
    return next(ERROR_REPLIES[k] for k in type(error).__mro__ if k in ERROR_REPLIES)


class ErrorReplies:
    def __init__(self, translator: Translator) -> None:
        self.t = translator

    async def guard(self, handler: EventHandler, event: Event) -> Sequence[Action]:
        """Run one handler; a failure becomes a reply, never an exception for the dispatcher."""
        try:
            return await handler(event) or ()
        except Exception as error:
            return self.answer(error, event)

    def answer(self, error: Exception, event: Event) -> list[Action]:
        entry = reply_for(error)
        if entry.unexpected:
            log.exception("handler failed for %s", type(event).__name__, exc_info=error)
        interaction = getattr(event, "interaction", None)
        if not isinstance(interaction, Interaction):
            return []
        key, params = entry.message(error)
        text = self.t(key, **CommandWords(self.t).params(params))
        return [Reply(interaction=interaction.id, text=text)]
