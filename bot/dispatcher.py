"""Routes events to the services that care and performs the actions they return.

A small pipeline (the steps live in bot/pipeline/, one unit each): drop replays, ignore bots,
route to the handlers (commands through the manager gate), and run each handler inside the one
error table, so a failure becomes a localised reply instead of an exception.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from bot.actions import Action, Delivery
from bot.command_words import CommandWords
from bot.commands import CommandCatalogue
from bot.events import ChoicePicked, Event, FormSubmitted
from bot.gateway import Outbox
from bot.health import Health
from bot.i18n import Translator
from bot.metrics import Metrics, NoMetrics
from bot.pipeline.bots import IgnoreBots
from bot.pipeline.commands import RunCommand
from bot.pipeline.errors import ErrorReplies
from bot.pipeline.health import RefuseWhenUnhealthy
from bot.pipeline.managers import ManagerGate
from bot.pipeline.replay import DropReplays, InMemorySeen, ReplayMemory, SeenEvents
from bot.pipeline.routes import Routes

E = TypeVar("E", bound=Event)


class EventFilter(Protocol):
    def admits(self, event: Event) -> bool:
        """False drops the event before any handler sees it."""


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        commands: CommandCatalogue,
        translator: Translator,
        *,
        seen: SeenEvents | None = None,
        remember_events: int = 20_000,
        metrics: Metrics | None = None,
        health: Health | None = None,
    ) -> None:
        self.outbox = outbox
        self.metrics = metrics or NoMetrics()
        self.replays = DropReplays(seen or InMemorySeen(ReplayMemory(remember_events)))
        self.health = health or Health()
        self.filters: tuple[EventFilter, ...] = (RefuseWhenUnhealthy(self.health), IgnoreBots())
        run_command = RunCommand(
            commands, ManagerGate(), outbox.gateway.resolve_member, CommandWords(translator)
        )
        self.routes = Routes(run_command)
        self.errors = ErrorReplies(translator)

    def on(
        self, event_type: type[E], handler: Callable[[E], Awaitable[Sequence[Action] | None]]
    ) -> None:
        self.routes.add(event_type, handler)

    def on_choice(
        self, prefix: str, handler: Callable[[ChoicePicked], Awaitable[Sequence[Action] | None]]
    ) -> None:
        """Choice ids look like 'prefix:...'; one service owns each prefix."""
        self.routes.add_choice(prefix, handler)

    def on_form(
        self, prefix: str, handler: Callable[[FormSubmitted], Awaitable[Sequence[Action] | None]]
    ) -> None:
        self.routes.add_form(prefix, handler)

    async def dispatch(self, event: Event) -> list[Delivery]:
        kind = type(event).__name__
        self.metrics.event_received(kind)
        if not all(step.admits(event) for step in self.filters):
            return []
        if not await self.replays.admits(event):
            return []
        deliveries: list[Delivery] = []
        with self.metrics.handling(kind):
            for handler in self.routes.handlers_for(event):
                actions = await self.errors.guard(handler, event)
                if actions:
                    deliveries += await self.outbox.send_all(list(actions))
        return deliveries
