"""The process's web port (ops/: /healthz, /readyz, /metrics and mounted routes such as Slack's),
made before the adapter so routes can be mounted, started once the app is built."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from bot.config import PleinConfig
from bot.kit import Kit

if TYPE_CHECKING:
    from ops.metrics import PrometheusMetrics
    from ops.web import WebServer


class Running(Protocol):
    """What the web port needs of the running app: its kit (health checks) and its features
    (the dashboard, when installed, is served under /dashboard)."""

    kit: Kit
    features: dict[str, Any]


@dataclass
class WebPort:
    """The process's web port (ops/), when `[web]` says it serves for this adapter."""

    config: PleinConfig
    metrics: PrometheusMetrics
    server: WebServer | None = None
    routes: list[tuple[str, str, Callable[..., Awaitable[Any]]]] = field(default_factory=list)
    """Mounted before the server exists (the adapter is made before `build`); added at start."""

    @classmethod
    def for_config(cls, config: PleinConfig, adapter_name: str) -> WebPort | None:
        if not config.web.serves(adapter_name):
            return None
        from ops.metrics import PrometheusMetrics

        return cls(config, PrometheusMetrics())

    def mount(self, method: str, path: str, handler: Callable[..., Awaitable[Any]]) -> None:
        if self.server is not None:
            raise RuntimeError("mount routes before the web server starts")
        self.routes.append((method, path, handler))

    async def start(self, plein: Running) -> int:
        from ops.web import WebServer

        self.server = WebServer(plein.kit.health, self.metrics)
        dashboard = plein.features.get("dashboard")
        if dashboard is not None:
            from ops.dashboard import serve

            handle = serve.handler(dashboard)
            for path in serve.PATHS:
                self.server.mount("*", path, handle)
            dashboard.warm_up()  # the figures, computed before a manager asks for them
        for method, path, handler in self.routes:
            self.server.mount(method, path, handler)
        return await self.server.start(self.config.web.bind, self.config.web.port)

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
