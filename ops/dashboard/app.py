"""The managers' dashboard as a Starlette app, served under /dashboard on the web port.

Read-only pages rendered with Jinja2 (autoescaped: member text is never markup) and SVG charts;
htmx (vendored) boosts the navigation. Every page checks the manager right again.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.features.dashboard.access import Login
from bot.features.dashboard.service import Dashboard
from bot.features.report.health_figures import LOWER_IS_BETTER
from bot.features.report.health_text import duration
from bot.features.report.render import PERCENT_METRICS
from bot.i18n import LANGUAGES, Translator
from ops.dashboard import svg
from ops.dashboard.discord_login import DiscordLogin
from ops.dashboard.slack_login import SlackLogin

log = logging.getLogger("plein.dashboard")

HERE = Path(__file__).parent
PREFIX = "/dashboard"
COOKIE = "plein_dashboard"
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self' https://discord.com"
    ),
}


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


class DashboardApp:
    def __init__(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        config = dashboard.kit.config
        self.base_url = config.dashboard.base_url
        """None: links and redirects follow the address the request came in on."""
        secret = config.dashboard.secret.get_secret_value() if config.dashboard.secret else None
        if secret is None:
            log.warning("dashboard: no [dashboard] secret; logins end when Plein restarts")
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["svg"] = svg
        self.env.globals["percent_metrics"] = PERCENT_METRICS
        self.env.globals["lower_is_better"] = LOWER_IS_BETTER
        self.env.globals["duration"] = duration
        self.env.globals["minutes"] = minutes
        self.discord = DiscordLogin(config) if DiscordLogin.configured(config) else None
        self.slack = SlackLogin(config) if SlackLogin.configured(config) else None
        routes = [
            Route(PREFIX, self.home),
            Route(f"{PREFIX}/", self.home),
            Route(f"{PREFIX}/login", self.login_page),
            Route(f"{PREFIX}/link/{{token}}", self.link_page, methods=["GET"]),
            Route(f"{PREFIX}/link/{{token}}", self.link_redeem, methods=["POST"]),
            Route(f"{PREFIX}/login/discord", self.discord_start),
            Route(f"{PREFIX}/login/discord/callback", self.discord_callback),
            Route(f"{PREFIX}/login/slack", self.slack_start),
            Route(f"{PREFIX}/login/slack/callback", self.slack_callback),
            Route(f"{PREFIX}/logout", self.logout, methods=["POST"]),
            Mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="static"),
            Route(f"{PREFIX}/{{page}}", self.page),
        ]
        session = config.dashboard.session
        self.app = Starlette(
            routes=routes,
            middleware=[
                Middleware(
                    SessionMiddleware,
                    secret_key=secret or secrets.token_urlsafe(32),
                    session_cookie=COOKIE,
                    max_age=int(session.total_seconds()),
                    path=PREFIX,
                    same_site="lax",
                    https_only=(self.base_url or "").startswith("https://"),
                )
            ],
        )

    # ---- helpers -----------------------------------------------------------------------------

    def callback_url(self, request: Request, platform: str = "discord") -> str:
        base = self.base_url or str(request.base_url).rstrip("/")
        return f"{base}{PREFIX}/login/{platform}/callback"

    def t(self, request: Request) -> Translator:
        return self.dashboard.translator(request.session.get("lang"))

    def login(self, request: Request) -> Login | None:
        data = request.session.get("login")
        return Login.from_session(data) if isinstance(data, dict) else None

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> Response:
        t = self.t(request)
        html = self.env.get_template(template).render(
            t=t,
            lang=t.language,
            languages=LANGUAGES,
            community=self.dashboard.kit.config.community.name,
            timezone=self.dashboard.kit.config.community.timezone,
            pages=self.dashboard.pages,
            login=self.login(request),
            prefix=PREFIX,
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    # ---- pages -------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/overview", status_code=303)

    async def page(self, request: Request) -> Response:
        name = request.path_params["page"]
        if name not in self.dashboard.pages:
            return self.render(request, "message.html", 404, message="dashboard.not_found")
        switched = request.query_params.get("lang")
        if switched in LANGUAGES:
            request.session["lang"] = switched
            return RedirectResponse(f"{PREFIX}/{name}", status_code=303)
        now = self.dashboard.now()
        access = self.dashboard.access
        if not access.public(name):
            login = self.login(request)
            if login is None or login.until <= now:
                request.session.pop("login", None)
                return RedirectResponse(f"{PREFIX}/login", status_code=303)
            if not access.valid(login, now):
                return self.forbidden(request)
        wait = self.dashboard.kit.config.dashboard.first_wait.total_seconds()
        snapshot = await self.dashboard.page(name, now, wait=wait)
        if snapshot is None:
            return self.render(request, "computing.html", page=name)
        return self.render(
            request,
            f"{name}.html",
            page=name,
            data=snapshot.data,
            as_of=snapshot.as_of,
            refreshing=not self.dashboard.snapshots.fresh(snapshot, now),
        )

    def forbidden(self, request: Request) -> Response:
        return self.render(
            request,
            "message.html",
            403,
            message="dashboard.forbidden.text",
            title="dashboard.forbidden.title",
        )

    # ---- logging in --------------------------------------------------------------------------

    async def login_page(self, request: Request) -> Response:
        return self.render(
            request, "login.html", discord=self.discord is not None, slack=self.slack is not None
        )

    async def link_page(self, request: Request) -> Response:
        """A GET never spends the link (chat apps fetch links to preview them): a button does."""
        return self.render(request, "link.html", token=request.path_params["token"])

    async def link_redeem(self, request: Request) -> Response:
        login = await self.dashboard.access.redeem(
            request.path_params["token"], self.dashboard.now()
        )
        if login is None:
            return self.render(
                request,
                "message.html",
                403,
                message="dashboard.login.link_used",
                title="dashboard.forbidden.title",
            )
        return self.start_session(request, login)

    async def discord_start(self, request: Request) -> Response:
        if self.discord is None:
            return self.render(request, "message.html", 404, message="dashboard.not_found")
        return await self.discord.start(request, self.callback_url(request))

    async def discord_callback(self, request: Request) -> Response:
        if self.discord is None:
            return self.render(request, "message.html", 404, message="dashboard.not_found")
        found = await self.discord.finish(request)
        if found is None:
            return self.render(
                request,
                "message.html",
                403,
                message="dashboard.login.discord_failed",
                title="dashboard.forbidden.title",
            )
        user, guilds = found
        login = self.dashboard.access.discord_login(user, guilds, self.dashboard.now())
        if login is None:
            log.info("dashboard: login refused", extra={"member": f"discord:{user.get('id')}"})
            return self.forbidden(request)
        return self.start_session(request, login)

    async def slack_start(self, request: Request) -> Response:
        if self.slack is None:
            return self.render(request, "message.html", 404, message="dashboard.not_found")
        started = await self.slack.start(request, self.callback_url(request, "slack"))
        if started is None:
            return self.render(
                request,
                "message.html",
                502,
                message="dashboard.login.slack_failed",
                title="dashboard.forbidden.title",
            )
        return started

    async def slack_callback(self, request: Request) -> Response:
        if self.slack is None:
            return self.render(request, "message.html", 404, message="dashboard.not_found")
        identity = await self.slack.finish(request)
        if identity is None:
            return self.render(
                request,
                "message.html",
                403,
                message="dashboard.login.slack_failed",
                title="dashboard.forbidden.title",
            )
        workspace = self.slack.workspace
        login = await self.dashboard.access.slack_login(
            identity, await workspace.team(), workspace.is_admin, self.dashboard.now()
        )
        if login is None:
            log.info("dashboard: login refused", extra={"member": f"slack:{identity.user_id}"})
            return self.forbidden(request)
        return self.start_session(request, login)

    def start_session(self, request: Request, login: Login) -> Response:
        lang = request.session.get("lang")
        request.session.clear()  # a fresh session at every login (no fixation)
        if lang:
            request.session["lang"] = lang
        request.session["login"] = login.to_session()
        return RedirectResponse(f"{PREFIX}/overview", status_code=303)

    async def logout(self, request: Request) -> Response:
        request.session.pop("login", None)
        return RedirectResponse(f"{PREFIX}/login", status_code=303)
