"""Answering interactions within Discord's 3 s: respond, or defer first and follow up.

Each interaction the core may answer is kept here by id. The core's Reply/OpenForm become the
initial response when they come in time; otherwise the adapter defers (a silent update for
clicks, an ephemeral "thinking" for commands and forms) and the answer becomes a follow-up.
A modal can only be the first response; after a defer the member gets a button that opens it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord import views
from adapters.discord.mentions import DiscordText
from adapters.discord.translate import message_ref
from bot.actions import Delivery, Form, OpenForm, Reply

log = logging.getLogger("plein.discord.interactions")

FORM_BUTTON_PREFIX = "plein-form:"
KEEP = 2000


def delivered(message: discord.Message) -> Delivery:
    return Delivery(ref=message_ref(message.channel.id, message.id))


@dataclass
class Pending:
    interaction: discord.Interaction
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    thinking: bool = False
    answered: bool = False
    recorded: str | None = None
    """Its inbox key once recorded before the defer (adapters/discord/deferred.py)."""

    @property
    def is_component(self) -> bool:
        return self.interaction.type is discord.InteractionType.component


class Interactions:
    def __init__(
        self,
        done_text: str,
        open_form_label: str,
        form_prompt: str,
        *,
        text: DiscordText | None = None,
    ) -> None:
        self.text = text or DiscordText()
        self._pending: OrderedDict[str, Pending] = OrderedDict()
        self._forms: OrderedDict[str, Form] = OrderedDict()
        self.done_text = done_text
        self.open_form_label = open_form_label
        self.form_prompt = form_prompt

    def track(self, interaction: discord.Interaction) -> Pending:
        pending = Pending(interaction)
        self._pending[str(interaction.id)] = pending
        while len(self._pending) > KEEP:
            self._pending.popitem(last=False)
        return pending

    def get(self, ident: str) -> Pending | None:
        return self._pending.get(ident)

    def form_for_button(self, custom_id: str) -> Form | None:
        return self._forms.get(custom_id.removeprefix(FORM_BUTTON_PREFIX))

    async def defer(self, pending: Pending) -> None:
        async with pending.lock:
            response = pending.interaction.response
            if response.is_done():
                return
            if pending.is_component:
                await response.defer()
            else:
                await response.defer(ephemeral=True, thinking=True)
                pending.thinking = True

    async def finish(self, pending: Pending) -> None:
        """The core is done: make sure Discord got an answer."""
        async with pending.lock:
            interaction = pending.interaction
            if not interaction.response.is_done():
                if pending.is_component:
                    await interaction.response.defer()
                else:
                    await interaction.response.send_message(self.done_text, ephemeral=True)
            elif pending.thinking and not pending.answered:
                await interaction.edit_original_response(content=self.done_text)
                pending.answered = True

    async def reply(self, action: Reply) -> Delivery:
        pending = self.get(action.interaction)
        if pending is None:
            return Delivery(ok=False, reason="unknown_interaction")
        message_args = self.text.message(action.text)
        content = message_args.pop("content")
        async with pending.lock:
            interaction = pending.interaction
            kwargs: dict[str, Any] = dict(message_args)
            if action.choices:
                kwargs["view"] = views.choices_view(self.text.labels(action.choices))
            if action.files:
                kwargs["files"] = views.files_of(action.files)
            channel_id = interaction.channel_id
            if not interaction.response.is_done():
                response = await interaction.response.send_message(
                    content, ephemeral=action.ephemeral, **kwargs
                )
                pending.answered = True
                ref = None
                if response is not None and response.message_id and channel_id:
                    ref = message_ref(channel_id, response.message_id)
                return Delivery(ref=ref)
            if pending.thinking and not pending.answered:
                pending.answered = True
                if action.ephemeral:
                    if "files" in kwargs:
                        kwargs["attachments"] = kwargs.pop("files")
                    edited = await interaction.edit_original_response(content=content, **kwargs)
                    return delivered(edited)
                # The first follow-up would inherit the defer's ephemeral flag, so a public
                # answer is posted in the channel and the "thinking" placeholder removed.
                channel = interaction.channel
                if channel is None or not hasattr(channel, "send"):
                    return delivered(await interaction.followup.send(content, wait=True, **kwargs))
                posted = await channel.send(content, **kwargs)
                await interaction.delete_original_response()
                return delivered(posted)
            followup = await interaction.followup.send(
                content, ephemeral=action.ephemeral, wait=True, **kwargs
            )
            return delivered(followup)

    async def open_form(self, action: OpenForm) -> Delivery:
        pending = self.get(action.interaction)
        if pending is None:
            return Delivery(ok=False, reason="unknown_interaction")
        async with pending.lock:
            interaction = pending.interaction
            if not interaction.response.is_done() and (
                interaction.type is not discord.InteractionType.modal_submit
            ):
                await interaction.response.send_modal(views.form_modal(action.form))
                pending.answered = True
                return Delivery()
            # Too late for a modal (or answering a modal): offer a button that opens it.
            key = str(interaction.id)
            self._forms[key] = action.form
            while len(self._forms) > KEEP:
                self._forms.popitem(last=False)
            button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
                label=self.open_form_label,
                custom_id=FORM_BUTTON_PREFIX + key,
                style=discord.ButtonStyle.primary,
            )
            view = discord.ui.View(timeout=None)
            view.add_item(button)
            view.stop()
            prompt = self.text.message(self.form_prompt.format(title=action.form.title))
            if not interaction.response.is_done():
                await interaction.response.send_message(view=view, ephemeral=True, **prompt)
            elif pending.thinking and not pending.answered:
                await interaction.edit_original_response(view=view, **prompt)
            else:
                await interaction.followup.send(view=view, ephemeral=True, **prompt)
            pending.answered = True
            return Delivery()
