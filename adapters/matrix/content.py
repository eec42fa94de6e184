"""Event contents Plein sends, built from rendered text. Pure functions.

Every message carries `m.mentions` listing only the members Plein itself means to mention, so a
member's text quoted in a post never pings anyone (clients notify only on `m.mentions` when it is
present). The HTML body is escaped text plus Plein's own pills.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from bot.actions import Choice

CHOICES_KEY = "nl.plein.choices"
"""Plein's choices travel inside its own message, so a numbered reply after a restart still
finds them (the event is fetched back from the homeserver)."""

POLL_START = "org.matrix.msc3381.poll.start"
POLL_RESPONSE = "org.matrix.msc3381.poll.response"
POLL_END = "org.matrix.msc3381.poll.end"
STABLE_POLL_START = "m.poll.start"
STABLE_POLL_RESPONSE = "m.poll.response"
TEXT = "org.matrix.msc1767.text"

NUMBER_EMOJI = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")


def is_poll(choices: Sequence[Choice]) -> bool:
    """Polls and stellingen become native Matrix polls; every other choice is numbered."""
    return bool(choices) and all(c.id.startswith("poll:") for c in choices)


def text_content(
    body: str,
    formatted: str,
    mentions: Sequence[str],
    *,
    choices: Sequence[Choice] = (),
    msgtype: str = "m.text",
) -> dict[str, Any]:
    content: dict[str, Any] = {
        "msgtype": msgtype,
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": formatted,
        "m.mentions": {"user_ids": list(mentions)},
    }
    if choices:
        content[CHOICES_KEY] = [{"id": c.id, "label": c.label} for c in choices]
    return content


def html_text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def pill(user_id: str, name: str) -> str:
    return f'<a href="https://matrix.to/#/{html.escape(user_id)}">{html.escape(name)}</a>'


def numbered(text: str, choices: Sequence[Choice], hint: str) -> str:
    lines = [text, ""]
    lines += [f"{n}. {c.label}" for n, c in enumerate(choices, 1)]
    lines += ["", hint]
    return "\n".join(lines)


def in_thread(content: dict[str, Any], root_event: str) -> dict[str, Any]:
    content["m.relates_to"] = {
        "rel_type": "m.thread",
        "event_id": root_event,
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": root_event},
    }
    return content


def reply_to(content: dict[str, Any], event_id: str) -> dict[str, Any]:
    content["m.relates_to"] = {"m.in_reply_to": {"event_id": event_id}}
    return content


def edit(target_event: str, new: dict[str, Any]) -> dict[str, Any]:
    """An m.replace edit: the fallback body starts with '* ' as the spec suggests."""
    content = dict(new)
    content["body"] = "* " + new["body"]
    content["formatted_body"] = "* " + new["formatted_body"]
    content["m.new_content"] = new
    content["m.relates_to"] = {"rel_type": "m.replace", "event_id": target_event}
    return content


def poll_start(question: str, fallback: str, choices: Sequence[Choice]) -> dict[str, Any]:
    """The MSC3381 form Element sends and renders. Answer ids are Plein's choice ids; any number
    may be ticked (removed ticks are taken back, added ones cast, so single-choice polls keep
    the last tick and multiple-choice polls follow the ticks)."""
    return {
        TEXT: fallback,
        "body": fallback,
        "msgtype": "m.text",
        "m.mentions": {},
        POLL_START: {
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": len(choices),
            "question": {TEXT: question},
            "answers": [{"id": c.id, TEXT: c.label} for c in choices],
        },
    }


def poll_end(start_event: str, text: str) -> dict[str, Any]:
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": start_event},
        TEXT: text,
        "body": text,
        "m.mentions": {},
    }


def poll_answers(content: dict[str, Any]) -> list[str]:
    """The answer ids of a poll start, stable or unstable form."""
    poll = content.get(POLL_START) or content.get("m.poll") or {}
    answers = poll.get("answers", []) if isinstance(poll, dict) else []
    ids = []
    for answer in answers:
        if isinstance(answer, dict):
            ident = answer.get("id") or answer.get("m.id")
            if isinstance(ident, str):
                ids.append(ident)
    return ids


def poll_selections(content: dict[str, Any]) -> list[str] | None:
    """The answers ticked in a poll response (stable or unstable), or None if malformed."""
    unstable = content.get(POLL_RESPONSE)
    picked = unstable.get("answers") if isinstance(unstable, dict) else content.get("m.selections")
    if not isinstance(picked, list) or not all(isinstance(p, str) for p in picked):
        return None
    return list(picked)


def stored_choices(content: dict[str, Any]) -> list[Choice]:
    raw = content.get(CHOICES_KEY)
    if not isinstance(raw, list):
        return []
    return [
        Choice(str(c["id"]), str(c.get("label", "")))
        for c in raw
        if isinstance(c, dict) and "id" in c
    ]


def picked_number(text: str, count: int) -> int | None:
    """'2' or '2.' or a keycap emoji -> index 1; None when it is not one of the numbers."""
    word = text.strip().rstrip(".)")
    if word in NUMBER_EMOJI:
        index = NUMBER_EMOJI.index(word)
    elif word.isdigit() and len(word) <= 2:
        index = int(word) - 1
    else:
        return None
    return index if 0 <= index < count else None
