"""Direct messages to Plein: the feature with an open question answers; otherwise core does.

A feature registers a handler that returns its actions, or None when the DM is not an answer
to anything it asked. Core's one DirectMessage handler asks them in turn, so a DM nobody
claims gets a short "what Plein can do" instead of silence, and never one on top of an answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from bot.actions import Action
from bot.events import DirectMessage

DmHandler = Callable[[DirectMessage], Awaitable[Sequence[Action] | None]]


class Conversations:
    def __init__(self) -> None:
        self._handlers: tuple[DmHandler, ...] = ()

    def add(self, handler: DmHandler) -> None:
        self._handlers = (*self._handlers, handler)

    async def answer(self, event: DirectMessage) -> Sequence[Action] | None:
        for handler in self._handlers:
            actions = await handler(event)
            if actions is not None:
                return actions
        return None
