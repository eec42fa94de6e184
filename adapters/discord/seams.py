"""Point discord.py at the configured API and gateway (the real Discord, or the test fake).

discord.py keeps both URLs as class attributes (`Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`),
so they are set for the lifetime of one client and restored afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


@contextmanager
def endpoints(api_base_url: str, gateway_url: str) -> Iterator[None]:
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
