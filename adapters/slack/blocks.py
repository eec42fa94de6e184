"""Core messages and forms -> Block Kit. Pure; limits from Slack's Block Kit reference."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.actions import Choice, Form, Style

SECTION_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_BLOCK = 25
ACTION_ID_LIMIT = 255
TITLE_LIMIT = 24
SELECT_OPTIONS_LIMIT = 100
ACTIONS_BLOCK_PREFIX = "plein-choices"

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def escape(text: str) -> str:
    """Slack's three control characters as entities (`&` first), so member text is never markup:
    `<!channel>` shows as text instead of pinging everyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """The core writes **bold**; Slack's mrkdwn writes *bold*."""
    return _BOLD.sub(r"*\1*", text)


def _chunks(text: str, size: int) -> list[str]:
    parts: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        cut = cut if cut > 0 else size
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    parts.append(text)
    return parts


def _plain(text: str, limit: int) -> dict[str, Any]:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": text or " ", "emoji": True}


def button(choice: Choice, index: int) -> dict[str, Any]:
    action_id = choice.id if len(choice.id) <= ACTION_ID_LIMIT else f"choice-{index}"
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": _plain(choice.label, BUTTON_TEXT_LIMIT),
        "value": choice.id,
    }
    if choice.style in (Style.PRIMARY, Style.SUCCESS):
        element["style"] = "primary"
    elif choice.style is Style.DANGER:
        element["style"] = "danger"
    return element


def choice_blocks(choices: Sequence[Choice]) -> list[dict[str, Any]]:
    blocks = []
    for start in range(0, len(choices), BUTTONS_PER_BLOCK):
        part = choices[start : start + BUTTONS_PER_BLOCK]
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{ACTIONS_BLOCK_PREFIX}-{start // BUTTONS_PER_BLOCK}",
                "elements": [button(c, start + i) for i, c in enumerate(part)],
            }
        )
    return blocks


def message_blocks(text: str, choices: Sequence[Choice] = ()) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": part}}
        for part in _chunks(mrkdwn(text), SECTION_LIMIT)
        if part.strip()
    ]
    return blocks + choice_blocks(choices)


def message_args(text: str, choices: Sequence[Choice] = ()) -> dict[str, Any]:
    """chat.postMessage / chat.update / chat.postEphemeral arguments for one message."""
    return {"text": mrkdwn(text), "blocks": message_blocks(text, choices)}


def kept_choice_blocks(blocks: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The button blocks of a posted message, to keep them when only its text changes."""
    return [b for b in blocks if str(b.get("block_id", "")).startswith(ACTIONS_BLOCK_PREFIX)]


def modal_view(
    form: Form, *, submit: str, close: str, channel_id: str | None = None
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": form.id[:ACTION_ID_LIMIT],
        "title": _plain(form.title, TITLE_LIMIT),
        "submit": _plain(submit, TITLE_LIMIT),
        "close": _plain(close, TITLE_LIMIT),
        "private_metadata": json.dumps({"channel": channel_id} if channel_id else {}),
        "blocks": [_input_block(field) for field in form.fields],
    }


def _input_block(field: Any) -> dict[str, Any]:
    element: dict[str, Any]
    if field.options:
        element = {
            "type": "static_select",
            "action_id": "value",
            "options": [
                {"text": _plain(option, BUTTON_TEXT_LIMIT), "value": option[:150]}
                for option in field.options[:SELECT_OPTIONS_LIMIT]
            ],
        }
    else:
        element = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": field.multiline,
            "max_length": min(field.max_length, 3000),
        }
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder, 150)
    return {
        "type": "input",
        "block_id": field.id[:ACTION_ID_LIMIT],
        "optional": not field.required,
        "label": _plain(field.label, 2000),
        "element": element,
    }
