"""The console 'platform': its messages, threads and members, kept in a small JSON file so a
scripted restart finds the same message refs and buttons, as Discord or Slack would."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.actions import Choice, Style


@dataclass
class StoredMessage:
    ref: str
    channel: str | None
    author: str
    thread_of: str | None = None
    choices: list[dict[str, str]] = field(default_factory=list)
    dm_member: str | None = None

    def choice_objects(self) -> list[Choice]:
        return [
            Choice(c["id"], c["label"], Style(c.get("style", "secondary"))) for c in self.choices
        ]


@dataclass
class ConsoleState:
    next_ref: int = 1
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)
    """name (lower-case) -> display name, for everyone the console has seen."""
    closed_dms: list[str] = field(default_factory=list)

    def new_ref(self) -> str:
        ref = str(self.next_ref)
        self.next_ref += 1
        return ref

    @classmethod
    def load(cls, path: Path | None) -> ConsoleState:
        if path is None or not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        state = cls(
            next_ref=data["next_ref"],
            members=data["members"],
            closed_dms=data.get("closed_dms", []),
        )
        state.messages = {ref: StoredMessage(**m) for ref, m in data["messages"].items()}
        return state

    def save(self, path: Path | None) -> None:
        if path is None:
            return
        data = {
            "next_ref": self.next_ref,
            "members": self.members,
            "closed_dms": self.closed_dms,
            "messages": {ref: asdict(m) for ref, m in self.messages.items()},
        }
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)
