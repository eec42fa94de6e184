"""Who handles an event: by type, by a choice or form id's prefix, or the command runner."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.events import ChoicePicked, CommandInvoked, Event, FormSubmitted
from bot.pipeline import EventHandler

log = logging.getLogger("plein.dispatcher")

_ROUTED_BY_ID = (CommandInvoked, ChoicePicked, FormSubmitted)


class Routes:
    def __init__(self, run_command: EventHandler) -> None:
        self._run_command = run_command
        # Tuples, replaced (never mutated) on registration: routing hands them out without a copy.
        self._by_type: dict[type[Event], tuple[EventHandler, ...]] = {}
        self._choices: dict[str, EventHandler] = {}
        self._forms: dict[str, EventHandler] = {}

    def add(self, event_type: type[Event], handler: EventHandler) -> None:
        self._by_type[event_type] = (*self._by_type.get(event_type, ()), handler)

    def add_choice(self, prefix: str, handler: EventHandler) -> None:
        """Choice ids look like 'prefix:...'; one service owns each prefix."""
        if prefix in self._choices:
            raise ValueError(f"choice prefix {prefix!r} claimed twice")
        self._choices[prefix] = handler

    def add_form(self, prefix: str, handler: EventHandler) -> None:
        if prefix in self._forms:
            raise ValueError(f"form prefix {prefix!r} claimed twice")
        self._forms[prefix] = handler

    def handlers_for(self, event: Event) -> Sequence[EventHandler]:
        handlers = self._by_type.get(type(event))
        if handlers is not None and not isinstance(event, _ROUTED_BY_ID):
            return handlers
        if isinstance(event, CommandInvoked):
            return (self._run_command,)
        if isinstance(event, ChoicePicked):
            return self._by_prefix(self._choices, event.choice_id)
        if isinstance(event, FormSubmitted):
            return self._by_prefix(self._forms, event.form_id)
        return ()

    @staticmethod
    def _by_prefix(table: dict[str, EventHandler], ident: str) -> Sequence[EventHandler]:
        handler = table.get(ident.split(":", 1)[0])
        if handler is None:
            log.warning("nobody handles %r", ident)
            return ()
        return (handler,)
