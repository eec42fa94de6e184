"""The dispatcher's steps, one small unit each (bot/dispatcher.py runs them in this order):

1. `bots.IgnoreBots`: messages, reactions, joins and DMs by bots are nobody's business.
2. `replay.DropReplays`: an event id seen before (the durable inbox's table, bot/inbox.py) is a
   platform redelivery; drop it.
3. `routes.Routes`: the handlers registered for the event (commands go to `commands.RunCommand`,
   which applies `managers.ManagerGate` before converting options).
4. `errors.ErrorReplies`: around each handler, one table maps a failure to a localised reply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.actions import Action

EventHandler = Callable[[Any], Awaitable[Sequence[Action] | None]]
"""A feature's handler for one event type (typed on its own event class when registered)."""
