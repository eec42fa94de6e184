"""Plein choices and forms -> discord.py components (buttons, modals). No I/O.

Views are built stopped: discord.py then does not keep them in memory, and every click reaches
`on_interaction`, which routes by custom_id (the choice id encodes the object, e.g.
"poll:12:3"), so buttons keep working after a restart.
"""

from __future__ import annotations

import discord

from bot.actions import Choice, Form, Style

MAX_BUTTONS = 25
_STYLES = {
    Style.PRIMARY: discord.ButtonStyle.primary,
    Style.SECONDARY: discord.ButtonStyle.secondary,
    Style.SUCCESS: discord.ButtonStyle.success,
    Style.DANGER: discord.ButtonStyle.danger,
}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def choices_view(choices: tuple[Choice, ...]) -> discord.ui.View:
    """Up to 25 buttons, five per row; an empty tuple gives an empty view (removes buttons)."""
    view = discord.ui.View(timeout=None)
    for index, choice in enumerate(choices[:MAX_BUTTONS]):
        view.add_item(
            discord.ui.Button(
                label=_clip(choice.label, 80),
                custom_id=choice.id[:100],
                style=_STYLES.get(choice.style, discord.ButtonStyle.secondary),
                row=index // 5,
            )
        )
    view.stop()
    return view


def form_modal(form: Form) -> discord.ui.Modal:
    """A modal with up to five fields: text inputs, or a select when the field has options."""
    modal = discord.ui.Modal(title=_clip(form.title, 45), custom_id=form.id[:100], timeout=None)
    for spec in form.fields[:5]:
        if spec.options:
            select: discord.ui.Select = discord.ui.Select(
                custom_id=spec.id[:100],
                required=spec.required,
                placeholder=_clip(spec.placeholder, 150) or None,
                options=[
                    discord.SelectOption(label=_clip(option, 100), value=option[:100])
                    for option in spec.options[:25]
                ],
            )
            modal.add_item(discord.ui.Label(text=_clip(spec.label, 45), component=select))
        else:
            modal.add_item(
                discord.ui.TextInput(
                    label=_clip(spec.label, 45),
                    custom_id=spec.id[:100],
                    required=spec.required,
                    max_length=min(spec.max_length, 4000),
                    style=(
                        discord.TextStyle.paragraph if spec.multiline else discord.TextStyle.short
                    ),
                    placeholder=_clip(spec.placeholder, 100) or None,
                )
            )
    modal.stop()
    return modal


def files_of(attachments: tuple) -> list[discord.File]:
    import io

    return [
        discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description or None)
        for a in attachments
    ]
