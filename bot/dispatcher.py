"""Routes events to the services that care, performs the actions they return, drops replays."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from bot.actions import Action, Delivery, Reply
from bot.commands import CommandCall, CommandRegistry, UsageError, convert_options
from bot.events import ChoicePicked, CommandInvoked, Event, FormSubmitted
from bot.gateway import Outbox
from bot.i18n import Translator

log = logging.getLogger("plein.dispatcher")

E = TypeVar("E", bound=Event)
_ROUTED_BY_ID = (CommandInvoked, ChoicePicked, FormSubmitted)
EventHandler = Callable[[Any], Awaitable[Sequence[Action] | None]]


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        commands: CommandRegistry,
        translator: Translator,
        *,
        remember_events: int = 20_000,
    ) -> None:
        self.outbox = outbox
        self.commands = commands
        self.t = translator
        # Tuples, replaced (never mutated) on registration: dispatch iterates them without a copy.
        self._handlers: dict[type[Event], tuple[EventHandler, ...]] = {}
        self._choice_handlers: dict[str, EventHandler] = {}
        self._form_handlers: dict[str, EventHandler] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._remember = remember_events

    def on(
        self, event_type: type[E], handler: Callable[[E], Awaitable[Sequence[Action] | None]]
    ) -> None:
        self._handlers[event_type] = (*self._handlers.get(event_type, ()), handler)

    def on_choice(
        self, prefix: str, handler: Callable[[ChoicePicked], Awaitable[Sequence[Action] | None]]
    ) -> None:
        """Choice ids look like 'prefix:...'; one service owns each prefix."""
        if prefix in self._choice_handlers:
            raise ValueError(f"choice prefix {prefix!r} claimed twice")
        self._choice_handlers[prefix] = handler

    def on_form(
        self, prefix: str, handler: Callable[[FormSubmitted], Awaitable[Sequence[Action] | None]]
    ) -> None:
        if prefix in self._form_handlers:
            raise ValueError(f"form prefix {prefix!r} claimed twice")
        self._form_handlers[prefix] = handler

    def is_replay(self, event: Event) -> bool:
        if event.event_id is None:
            return False
        if event.event_id in self._seen:
            return True
        self._seen[event.event_id] = None
        if len(self._seen) > self._remember:
            self._seen.popitem(last=False)
        return False

    async def dispatch(self, event: Event) -> list[Delivery]:
        if event.event_id is not None and self.is_replay(event):
            log.info("dropped replayed event %s", event.event_id)
            return []
        handlers = self._route(event)
        deliveries: list[Delivery] = []
        for handler in handlers:
            try:
                actions = await handler(event)
            except Exception:
                log.exception("handler failed for %s", type(event).__name__)
                actions = self._error_reply(event)
            if actions:
                deliveries += await self.outbox.send_all(list(actions))
        return deliveries

    def _route(self, event: Event) -> Sequence[EventHandler]:
        handlers = self._handlers.get(type(event))
        if handlers is not None and not isinstance(event, _ROUTED_BY_ID):
            return handlers  # an immutable tuple (see __init__)
        if isinstance(event, CommandInvoked):
            return [self._run_command]
        if isinstance(event, ChoicePicked):
            return self._by_prefix(self._choice_handlers, event.choice_id)
        if isinstance(event, FormSubmitted):
            return self._by_prefix(self._form_handlers, event.form_id)
        return ()

    @staticmethod
    def _by_prefix(table: dict[str, EventHandler], ident: str) -> list[EventHandler]:
        handler = table.get(ident.split(":", 1)[0])
        if handler is None:
            log.warning("nobody handles %r", ident)
            return []
        return [handler]

    async def _run_command(self, event: CommandInvoked) -> Sequence[Action]:
        reply_to = event.interaction.id
        spec = self.commands.get(event.path)
        if spec is None:
            return [
                Reply(
                    interaction=reply_to,
                    text=self.t("core.usage.unknown_command", command="/" + " ".join(event.path)),
                )
            ]
        if spec.manager_only and not event.actor.is_manager:
            return [
                Reply(
                    interaction=reply_to, text=self.t("core.not_manager", command="/" + spec.name)
                )
            ]
        try:
            options = await convert_options(spec, event.options, self.outbox.gateway.resolve_member)
            return await spec.handler(CommandCall(event, options))
        except UsageError as err:
            return [Reply(interaction=reply_to, text=self.t(err.key, **err.params))]

    def _error_reply(self, event: Event) -> list[Action]:
        interaction = getattr(event, "interaction", None)
        if interaction is None:
            return []
        return [Reply(interaction=interaction.id, text=self.t("core.error"))]
