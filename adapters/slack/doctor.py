"""`plein doctor` on Slack: the bot token and its scopes (the `x-oauth-scopes` header of
auth.test), the configured channels and Plein's membership, and the way events come in (Socket
Mode with the app token, or the public URL in HTTP mode)."""

from __future__ import annotations

from typing import Any

import aiohttp

from adapters.slack.manifest import scopes
from adapters.slack.platform import CHANNEL_ID
from bot.config import PleinConfig
from bot.i18n import Translator
from bot.setup.doctor import CheckResult, configured_channels

TIMEOUT = aiohttp.ClientTimeout(total=15)


class SlackApi:
    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session = session
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.granted: set[str] = set()

    async def call(self, method: str, token: str, **args: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"}
        async with self.session.post(
            self.base_url + method, headers=headers, data=args
        ) as response:
            if "x-oauth-scopes" in response.headers:
                self.granted = {
                    s.strip() for s in response.headers["x-oauth-scopes"].split(",") if s.strip()
                }
            body: dict[str, Any] = await response.json(content_type=None)
            return body


async def slack_checks(config: PleinConfig, t: Translator) -> list[CheckResult]:
    settings = config.slack
    label = t("doctor.slack.bot_token")
    if settings.bot_token is None:
        return [CheckResult(label, t("doctor.slack.fix.bot_token_missing"))]
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            api = SlackApi(session, settings.api_base_url)
            token = settings.bot_token.get_secret_value()
            auth = await api.call("auth.test", token)
            if not auth.get("ok"):
                error = str(auth.get("error"))
                return [CheckResult(label, t("doctor.slack.fix.bot_token_rejected", error=error))]
            results = [CheckResult(label), _scopes_check(config, t, api.granted)]
            results += await _channel_checks(api, token, config, t)
            results.append(await _events_check(api, session, config, t))
            return results
    except (OSError, TimeoutError, aiohttp.ClientError) as exc:
        fix = t("doctor.slack.fix.unreachable", url=settings.api_base_url, error=str(exc))
        return [CheckResult(label, fix)]


def _scopes_check(config: PleinConfig, t: Translator, granted: set[str]) -> CheckResult:
    missing = [scope for scope in scopes(config) if scope not in granted]
    fix = t("doctor.slack.fix.scopes", scopes=", ".join(missing)) if missing else None
    return CheckResult(t("doctor.slack.scopes"), fix)


async def _channel_checks(
    api: SlackApi, token: str, config: PleinConfig, t: Translator
) -> list[CheckResult]:
    by_name = await _channels_by_name(api, token)
    results = []
    for name in configured_channels(config):
        label = t("doctor.slack.channel", channel=name)
        ident = config.slack.channels.get(name) or by_name.get(name)
        if ident is None and CHANNEL_ID.match(name):
            ident = name
        info = await api.call("conversations.info", token, channel=ident) if ident else {}
        if not info.get("ok"):
            fix = t("doctor.slack.fix.channel_missing", channel=name)
        elif not (info.get("channel") or {}).get("is_member"):
            fix = t("doctor.slack.fix.channel_member")
        else:
            fix = None
        results.append(CheckResult(label, fix))
    return results


async def _channels_by_name(api: SlackApi, token: str) -> dict[str, str]:
    found: dict[str, str] = {}
    cursor = ""
    while True:
        page = await api.call(
            "conversations.list",
            token,
            types="public_channel,private_channel",
            exclude_archived="true",
            limit="1000",
            cursor=cursor,
        )
        for channel in page.get("channels") or []:
            found.setdefault(str(channel.get("name")), str(channel.get("id")))
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
        if not page.get("ok") or not cursor:
            return found


async def _events_check(
    api: SlackApi, session: aiohttp.ClientSession, config: PleinConfig, t: Translator
) -> CheckResult:
    settings = config.slack
    if settings.mode == "socket":
        label = t("doctor.slack.socket")
        if settings.app_token is None:
            return CheckResult(label, t("doctor.slack.fix.app_token_missing"))
        opened = await api.call("apps.connections.open", settings.app_token.get_secret_value())
        if opened.get("ok"):
            return CheckResult(label)
        error = str(opened.get("error"))
        return CheckResult(label, t("doctor.slack.fix.app_token_rejected", error=error))
    label = t("doctor.slack.public_url")
    if not settings.public_url:
        return CheckResult(label, t("doctor.slack.fix.public_url_missing"))
    url = settings.public_url.rstrip("/") + settings.path
    try:
        async with session.post(url, data=b"") as response:
            # Plein answers an unsigned request with 401; a 5xx is a proxy without Plein behind it.
            if response.status < 500:
                return CheckResult(label)
            error = f"HTTP {response.status}"
    except (OSError, TimeoutError, aiohttp.ClientError) as exc:
        error = str(exc) or type(exc).__name__
    return CheckResult(label, t("doctor.slack.fix.public_url", url=url, error=error))
