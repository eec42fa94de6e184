"""The interactive console's prompt line: line editing and history through the standard
library's readline (history kept in the community's data folder), and output that never lands
in the middle of what the user is typing: clear the prompt line, print, draw the prompt again."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TextIO

PROMPT = "> "
CLEAR_LINE = "\r\x1b[K"
HISTORY_LENGTH = 1000


def load_readline() -> ModuleType | None:
    try:
        import readline
    except ImportError:  # not on every platform; input() still works without editing
        return None
    return readline


class PromptLine:
    def __init__(
        self,
        out: TextIO,
        history_path: Path | None,
        readline: ModuleType | None = None,
    ) -> None:
        self.out = out
        self.history_path = history_path
        self.readline = readline
        self.waiting = False
        """True while input() waits for the user, so output must redraw the prompt."""

    def typed_so_far(self) -> str:
        return self.readline.get_line_buffer() if self.readline is not None else ""

    def open(self) -> None:
        if self.readline is None:
            return
        self.readline.set_history_length(HISTORY_LENGTH)
        if self.history_path is not None and self.history_path.exists():
            with contextlib.suppress(OSError):
                self.readline.read_history_file(str(self.history_path))

    def close(self) -> None:
        if self.readline is None or self.history_path is None:
            return
        with contextlib.suppress(OSError):
            self.history_path.parent.mkdir(parents=True, exist_ok=True)
            self.readline.write_history_file(str(self.history_path))
            self.history_path.chmod(0o600)

    def read(self, ask: Callable[[str], str] = input) -> str:
        """Blocking; run it in a thread. Output printed meanwhile goes above the prompt."""
        self.waiting = True
        try:
            return ask(PROMPT)
        finally:
            self.waiting = False

    def show(self, text: str) -> None:
        if not self.waiting:
            print(text, file=self.out, flush=True)
            return
        self.out.write(f"{CLEAR_LINE}{text}\n{PROMPT}{self.typed_so_far()}")
        self.out.flush()
