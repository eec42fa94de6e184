"""Member text is never markup: Plein's own mentions travel as markers, the rest is escaped.

The core composes one string from its templates, member mentions (`gateway.mention(...)`) and
whatever members typed (a poll question, a kudos reason, an intro answer). An adapter cannot tell
those apart afterwards, so its `mention()` returns a marker instead of platform syntax. When the
text leaves for the platform, `MentionMarkers.render` escapes everything between the markers
(the platform's own escaping) and only then turns each marker into a real mention. A member who
types `<!channel>` or `<@U123>` gets it shown as text.

Markers carry a random per-adapter nonce, so a member cannot forge one by typing it: the nonce
never leaves the process (every text is rendered before it is sent).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

OPEN = "\ue000"
CLOSE = "\ue001"
USER = "u"
CHANNEL = "c"


@dataclass(frozen=True)
class Rendered:
    text: str
    users: tuple[str, ...] = ()
    """Platform ids of the members Plein itself means to mention, in order, without repeats."""


def _keep(text: str) -> str:
    return text


class MentionMarkers:
    def __init__(self, nonce: str | None = None) -> None:
        self.nonce = nonce or secrets.token_hex(8)
        self._pattern = re.compile(
            re.escape(OPEN + self.nonce)
            + r":(["
            + USER
            + CHANNEL
            + r"]):([^\ue000\ue001]+)"
            + CLOSE
        )

    def user(self, ident: str) -> str:
        """A marker for a mention of the member with this platform id."""
        return f"{OPEN}{self.nonce}:{USER}:{ident}{CLOSE}"

    def channel(self, ident: str) -> str:
        """A marker for a link to the channel with this platform id."""
        return f"{OPEN}{self.nonce}:{CHANNEL}:{ident}{CLOSE}"

    def render(
        self,
        text: str,
        *,
        user: Callable[[str], str],
        channel: Callable[[str], str],
        escape: Callable[[str], str] = _keep,
    ) -> Rendered:
        """Escape the text around the markers with `escape`, then write the markers with
        `user(id)` / `channel(id)`."""
        parts: list[str] = []
        users: list[str] = []
        position = 0
        for match in self._pattern.finditer(text):
            parts.append(escape(text[position : match.start()]))
            kind, ident = match.group(1), match.group(2)
            if kind == USER:
                parts.append(user(ident))
                if ident not in users:
                    users.append(ident)
            else:
                parts.append(channel(ident))
            position = match.end()
        parts.append(escape(text[position:]))
        return Rendered("".join(parts), tuple(users))
