"""How console actions look: a chat transcript line, or one JSON object per action."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.actions import Choice


@dataclass(frozen=True)
class Printed:
    action: str
    at: datetime
    text: str = ""
    channel: str | None = None
    member: str | None = None
    ref: str | None = None
    author: str = "plein"
    thread_of: str | None = None
    choices: tuple[Choice, ...] = ()
    role: str | None = None
    emoji: str | None = None
    files: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def as_text(item: Printed) -> str:
    if item.action in ("role_add", "role_remove"):
        sign = "+" if item.action == "role_add" else "-"
        return f"[role] {item.member} {sign}{item.role}"
    if item.action == "react":
        return f"[react #{item.ref}] {item.author} {item.emoji}"
    if item.action == "error":
        return f"[error] {item.text}"
    if item.action == "update":
        where = f"[update #{item.ref}]"
        head = f"{where} {item.author}:"
    else:
        if item.action == "group_dm":
            where = f"[dm {', '.join(item.extra.get('members', []))}]"
        elif item.member is not None and item.channel is None:
            where = f"[dm {item.member}]"
        elif item.thread_of:
            where = f"[#{item.channel} > #{item.thread_of}]"
        else:
            where = f"[#{item.channel}]"
        ref = f" #{item.ref}" if item.ref else ""
        head = f"{where}{ref} {item.author}:"
    lines = item.text.split("\n") if item.text else [""]
    out = [f"{head} {lines[0]}".rstrip()]
    out += [f"  {line}" for line in lines[1:]]
    out += [f"  [{i}] {choice.label}" for i, choice in enumerate(item.choices, 1)]
    out += [f"  [file] {path}" for path in item.files]
    return "\n".join(out)


def as_json(item: Printed) -> str:
    obj: dict[str, Any] = {
        "action": item.action,
        "at": item.at.isoformat(),
        "ref": item.ref,
        "text": item.text,
        "choices": [{"id": c.id, "label": c.label} for c in item.choices],
    }
    if item.channel is not None:
        obj["channel"] = item.channel
    if item.member is not None:
        obj["member"] = item.member
    if item.thread_of:
        obj["thread_of"] = item.thread_of
    if item.author != "plein":
        obj["author"] = item.author
    if item.role:
        obj["role"] = item.role
    if item.emoji:
        obj["emoji"] = item.emoji
    if item.files:
        obj["files"] = list(item.files)
    obj.update(item.extra)
    return json.dumps(obj, ensure_ascii=False)
