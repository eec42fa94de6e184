"""The host port: everything an adapter may use of the running bot, and nothing more.

Adapters depend on this Protocol, never on the composition root (`bot.app`), so the import
graph has no circle and an adapter can be driven by any host that keeps this contract.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.actions import Action, Delivery
from bot.clock import Clock
from bot.commands import CommandCatalogue
from bot.config import PleinConfig
from bot.events import Event
from bot.i18n import Translator
from bot.identify import IdentifyBuckets
from bot.inbox import InboxPort
from bot.metrics import Metrics


class PlatformUnavailable(RuntimeError):
    """The platform cannot be reached, or refuses Plein's settings, before the community runs.
    The message is one line for the operator; the command line prints it without a traceback."""


@runtime_checkable
class TimeControl(Protocol):
    """Moves simulated time in scripted runs (`wait 2d` in a console script)."""

    async def advance_to(self, target: datetime) -> None:
        """Move the clock to `target`, running every job that falls due on the way."""

    async def run_pending(self) -> None:
        """Run what is due now, without moving the clock."""

    async def drain(self) -> None:
        """Run everything still due, for the end of a script."""


@runtime_checkable
class MessageLinks(Protocol):
    """Optional for an adapter: a link members can open to one message (the nudge about a
    question still waiting points at it). An adapter without it gets no link in such texts."""

    async def message_link(self, ref: str) -> str | None:
        """A URL for the message with this Plein ref (as in Delivery.ref and events), or None
        when the platform cannot make one (an unknown ref, a failed lookup)."""


class Host(Protocol):
    @property
    def config(self) -> PleinConfig: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def t(self) -> Translator:
        """The community's translator: adapters word their own replies with it."""

    @property
    def commands(self) -> CommandCatalogue:
        """The command catalogue, read-only: for platform registration, parsing and help."""

    @property
    def inbox(self) -> InboxPort:
        """Store an event before acknowledging it; mark it done after dispatching it."""

    @property
    def time_control(self) -> TimeControl | None:
        """Simulated time for scripted runs; None when the clock is real."""

    @property
    def healthy(self) -> bool:
        """False after a storage failure: take no new work (Slack answers 503, the console
        stops); it stays false until a restart."""

    @property
    def problem(self) -> str | None:
        """Why Plein is unhealthy, in one line (None while healthy)."""

    @property
    def metrics(self) -> Metrics:
        """What adapters count: ack latency, the platform's 429s, reconnects."""

    @property
    def identify_buckets(self) -> IdentifyBuckets:
        """Discord's identify rate limit, shared by every process on the database."""

    def connected(self, up: bool) -> None:
        """The link to the platform dropped (False) or is back (True); /readyz reports it.
        `ready()` counts as connected."""

    async def dispatch(self, event: Event) -> None:
        """Hand an event to the core; it runs the pipeline and performs the resulting actions."""

    async def send(self, action: Action) -> Delivery:
        """Send an action through the outbox (with its DM fallback), e.g. a usage reply."""

    async def ready(self) -> None:
        """Call once connected (again after a reconnect is fine): resumes the missed work."""

    async def flush(self) -> None:
        """Write out buffered work (batched writers, coalesced edits)."""
