"""Whom a Matrix message mentions: `m.mentions.user_ids` and the pills in `formatted_body`.

Clients since spec v1.7 list intentional mentions in `m.mentions`; older ones (and bridges) only
put a pill, `<a href="https://matrix.to/#/@anna:example.org">Anna</a>`, in the HTML. Both are
read; the reply fallback (`<mx-reply>`, which pills the replied-to sender) is not a mention; room
and event links are not members; a hostile event cannot make the list long. Pure: no I/O.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from adapters.matrix.ids import is_user_id

MAX_MENTIONS = 50
"""More than this in one message is no thanks to anyone in particular: the rest are dropped."""
MAX_USER_ID = 255
"""The spec's limit on a user id's length."""
MATRIX_TO = "https://matrix.to/#/"
MATRIX_URI = "matrix:u/"


def mentioned_users(content: dict[str, Any], bot_user: str) -> tuple[str, ...]:
    """User ids, in order of first mention, without duplicates and without Plein itself."""
    found: list[str] = []
    listed = content.get("m.mentions")
    if isinstance(listed, dict) and isinstance(listed.get("user_ids"), list):
        found += [u for u in listed["user_ids"] if isinstance(u, str)]
    html = content.get("formatted_body")
    if content.get("format") == "org.matrix.custom.html" and isinstance(html, str):
        found += _pills(html)
    users = [u for u in dict.fromkeys(found) if u != bot_user and _plausible(u)]
    return tuple(users[:MAX_MENTIONS])


def user_of_link(href: str) -> str | None:
    """`https://matrix.to/#/@anna:example.org?via=...` or `matrix:u/anna:example.org` -> the user
    id; None for rooms, events and anything else."""
    if href.startswith(MATRIX_TO):
        user = unquote(href.removeprefix(MATRIX_TO).split("?", 1)[0].split("/", 1)[0])
    elif href.startswith(MATRIX_URI):
        user = "@" + unquote(href.removeprefix(MATRIX_URI).split("?", 1)[0])
    else:
        return None
    return user if _plausible(user) else None


def _plausible(user: str) -> bool:
    return len(user) <= MAX_USER_ID and is_user_id(user) and not any(c.isspace() for c in user)


def _pills(html: str) -> list[str]:
    reader = _PillReader()
    reader.feed(html)
    reader.close()
    return reader.users


class _PillReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.users: list[str] = []
        self._in_reply = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mx-reply":
            self._in_reply += 1
        elif tag == "a" and not self._in_reply and len(self.users) < MAX_MENTIONS:
            href = dict(attrs).get("href") or ""
            user = user_of_link(href.strip())
            if user is not None:
                self.users.append(user)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mx-reply" and self._in_reply:
            self._in_reply -= 1
