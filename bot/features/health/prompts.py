"""Calendar question prompts as asks: the calendar tells us of each prompt it posted.

Written straight to storage, not through the batched writer: the calendar calls this before it
marks the occurrence posted, so once the row is posted the ask is stored (a process that dies
in between has its post taken over, which reports the same message again: stored once, by ref).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.features.api import PostedPrompt
from bot.features.health.ports import Asked, AskKind, HealthStore

PLEIN = "plein"
"""The author of a prompt ask: any member's reply answers it (Plein's own never count)."""


class PromptAsks:
    def __init__(self, store: HealthStore, on_recorded: Callable[[], None]) -> None:
        self.store = store
        self.on_recorded = on_recorded

    async def on_posted(self, posted: PostedPrompt) -> None:
        if posted.type != "question":
            return
        ask = Asked(
            posted.message_ref, AskKind.PROMPT, PLEIN, posted.channel, posted.at, posted.theme
        )
        await self.store.record([ask])
        self.on_recorded()  # the nudge's deadline may now be earlier than the one it last gave
