"""The port every adapter implements for the core: perform actions, render mentions."""

from __future__ import annotations

import logging
from typing import Protocol

from bot.actions import DM_CLOSED, Action, Delivery, PostMessage, SendDM
from bot.events import Member
from bot.metrics import Metrics, NoMetrics

log = logging.getLogger("plein.outbox")


class Gateway(Protocol):
    async def perform(self, action: Action) -> Delivery:
        """Carry out one action on the platform and report what was created."""

    def mention(self, member_id: str) -> str:
        """How the platform writes a mention of this member inside message text."""

    def channel_mention(self, channel: str) -> str:
        """How the platform links a channel (by its configured name) inside message text."""

    async def resolve_member(self, token: str) -> Member | None:
        """Turn a typed reference ("@anna", "<@123>") into a member, or None."""


class Outbox:
    """The single way services send actions: adds the DM-to-channel fallback and logging."""

    def __init__(
        self, gateway: Gateway, fallback_note: str = "", metrics: Metrics | None = None
    ) -> None:
        self.gateway = gateway
        self.fallback_note = fallback_note
        self.metrics = metrics or NoMetrics()

    async def send(self, action: Action) -> Delivery:
        delivery = await self.gateway.perform(action)
        if isinstance(action, SendDM) and not delivery.ok:
            self.metrics.dm_failed(delivery.reason or "unknown")
        if (
            isinstance(action, SendDM)
            and not delivery.ok
            and delivery.reason == DM_CLOSED
            and action.fallback_channel
        ):
            log.info(
                "dm closed, falling back to channel", extra={"channel": action.fallback_channel}
            )
            text = f"{self.gateway.mention(action.member)} {action.text}"
            if self.fallback_note:
                text += f"\n{self.fallback_note}"
            fallback = PostMessage(
                channel=action.fallback_channel,
                text=text,
                choices=action.choices,
                files=action.files,
                key=action.key,
                look_first=action.look_first,
            )
            delivery = await self.gateway.perform(fallback)
            return Delivery(
                ok=delivery.ok,
                ref=delivery.ref,
                channel=delivery.channel,
                reason="fell_back_to_channel" if delivery.ok else delivery.reason,
            )
        if not delivery.ok and delivery.reason != "unsupported":  # expected: a platform without it
            log.warning("action not delivered: %s (%s)", type(action).__name__, delivery.reason)
        return delivery

    async def send_all(self, actions: list[Action] | tuple[Action, ...]) -> list[Delivery]:
        return [await self.send(action) for action in actions]

    def mention(self, member_id: str) -> str:
        return self.gateway.mention(member_id)
