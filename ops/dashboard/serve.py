"""The dashboard on the web port: the Starlette app behind one aiohttp handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.features.dashboard.service import Dashboard
from ops.dashboard.app import PREFIX, DashboardApp
from ops.dashboard.bridge import asgi_handler

PATHS = (PREFIX, f"{PREFIX}/{{tail:.*}}")


def handler(dashboard: Dashboard) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    return asgi_handler(DashboardApp(dashboard).app)
