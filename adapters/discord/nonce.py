"""The nonce each new message is sent with.

discord.py 2.7 sends every `nonce` with `"enforce_nonce": true`: Discord then returns the message
the same bot already created with that nonce within the past few minutes instead of creating a
second one (Create Message, "enforce_nonce"). A retried send reuses its nonce; a keyed post
(PostMessage.key / SendDM.key: a calendar post, a poll close, a welcome) derives it from the key,
so a process taking over a post that a dead process made moments earlier gets that message back.
"""

from __future__ import annotations

import hashlib
import secrets

from bot.actions import Action

MAX_LENGTH = 25
"""Discord's limit for a nonce string."""


def nonce_for(action: Action) -> str:
    key = getattr(action, "key", None)
    if isinstance(key, str) and key:
        return "k" + hashlib.sha256(key.encode()).hexdigest()[: MAX_LENGTH - 1]
    return secrets.token_hex(10)
