"""Who may see the dashboard: one-time links, the platforms' manager rights, session expiry.

A login is kept in a signed cookie by the web side; this module decides what it is worth, again
on every page: an expired login is worth nothing, and a login granted because the config lists
the member as a manager ends as soon as a config reload no longer lists them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.config import PleinConfig
from bot.features.dashboard.ports import DashboardStore
from bot.kit import Kit

LINK_VALID = timedelta(minutes=10)
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,30}")

Grant = Literal["config", "platform", "link"]
GRANTS: tuple[Grant, ...] = ("config", "platform", "link")


@dataclass(frozen=True)
class SlackIdentity:
    """Who Slack says signed in: the `https://slack.com/...` claims of the checked id_token."""

    user_id: str
    team_id: str
    name: str


@dataclass(frozen=True)
class Login:
    who: str
    """A member id (discord:123) or "link" for a one-time link from the command line."""
    name: str
    grant: Grant
    until: datetime
    handle: str = ""
    """The platform's unique user name that `community.managers` may list (Discord's
    `username`); never a display name. Empty where names are not unique (Slack)."""

    def to_session(self) -> dict[str, str]:
        return {
            "who": self.who,
            "name": self.name,
            "grant": self.grant,
            "until": self.until.isoformat(),
            "handle": self.handle,
        }

    @classmethod
    def from_session(cls, data: Mapping[str, Any]) -> Login | None:
        """None for anything that is not a whole login (an old or foreign cookie)."""
        try:
            grant = next(g for g in GRANTS if g == data["grant"])
            until = datetime.fromisoformat(str(data["until"]))
            handle = str(data.get("handle", ""))
            return cls(str(data["who"]), str(data["name"]), grant, until, handle)
        except (KeyError, ValueError, StopIteration, TypeError):
            return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def can_manage_guild(guild: Mapping[str, Any]) -> bool:
    """Owner, ADMINISTRATOR or MANAGE_GUILD; `permissions` is a decimal string of a 64-bit+ int."""
    try:
        permissions = int(str(guild.get("permissions", "0")))
    except ValueError:
        return False
    return bool(guild.get("owner")) or bool(permissions & (ADMINISTRATOR | MANAGE_GUILD))


async def new_link(store: DashboardStore, now: datetime) -> str:
    """A fresh one-time token, valid LINK_VALID; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    await store.add_link(token_hash(token), now, now + LINK_VALID)
    return token


class Access:
    def __init__(self, kit: Kit, store: DashboardStore) -> None:
        self.kit = kit
        self.store = store

    @property
    def session_length(self) -> timedelta:
        return self.kit.config.dashboard.session

    async def new_link(self, now: datetime) -> str:
        return await new_link(self.store, now)

    async def redeem(self, token: str, now: datetime) -> Login | None:
        if (
            not token
            or len(token) > 100
            or not await self.store.redeem_link(token_hash(token), now)
        ):
            return None
        return Login("link", "", "link", now + self.session_length)

    def discord_login(
        self, user: Mapping[str, Any], guilds: Sequence[Mapping[str, Any]], now: datetime
    ) -> Login | None:
        """A configured manager, or someone who can manage the community's Discord server."""
        user_id = str(user.get("id", ""))
        if not user_id.isdigit():
            return None
        who = f"discord:{user_id}"
        username = str(user.get("username") or "")
        name = str(user.get("global_name") or username or user_id)
        until = now + self.session_length
        # by id or the unique username; never the display name, which anyone may set to "anna"
        if self.kit.is_manager(who, username=username or None):
            return Login(who, name, "config", until, username)
        guild_id = self.kit.config.discord.guild_id
        if guild_id and any(str(g.get("id")) == guild_id and can_manage_guild(g) for g in guilds):
            return Login(who, name, "platform", until)
        return None

    async def slack_login(
        self,
        identity: SlackIdentity,
        workspace_team: str | None,
        is_workspace_admin: Callable[[str], Awaitable[bool]],
        now: datetime,
    ) -> Login | None:
        """Someone of the bot's own workspace who is a configured manager, or an admin or owner
        of that workspace; `workspace_team` is the bot token's team (None: unknown)."""
        if not SLACK_ID.fullmatch(identity.user_id) or not workspace_team:
            return None
        if identity.team_id != workspace_team:
            return None
        who = f"slack:{identity.user_id}"
        name = identity.name or identity.user_id
        until = now + self.session_length
        if self.kit.is_manager(who):  # by id only: anyone may call themselves "anna" on Slack
            return Login(who, name, "config", until)
        if await is_workspace_admin(identity.user_id):
            return Login(who, name, "platform", until)
        return None

    def valid(self, login: Login | None, now: datetime) -> bool:
        """The manager right, checked again on every page."""
        if login is None or login.until <= now:
            return False
        if login.until - now > self.session_length:
            return False  # the session length was shortened since
        if login.grant == "config":
            return self.kit.is_manager(
                login.who, username=login.handle or None
            )  # see discord_login
        return True

    def public(self, page: str) -> bool:
        return page in self.kit.config.dashboard.public_pages


def dashboard_address(config: PleinConfig) -> str:
    """Where managers open the dashboard: `[dashboard] base_url`, else the web port's address."""
    if config.dashboard.base_url:
        return config.dashboard.base_url
    host = "127.0.0.1" if config.web.bind in ("0.0.0.0", "::", "") else config.web.bind
    return f"http://{host}:{config.web.port}"
