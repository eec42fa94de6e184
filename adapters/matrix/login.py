"""`plein matrix login`: trade the bot user's password for an access token, once. The token goes
in the environment (PLEIN_MATRIX__ACCESS_TOKEN); the password is never stored."""

from __future__ import annotations

import asyncio
import getpass
import sys

from nio import LoginResponse

from adapters.matrix.api import make_client
from bot.config import ConfigError, PleinConfig
from bot.host import PlatformUnavailable
from bot.i18n import Translator

DEVICE_NAME = "Plein"


async def login(homeserver: str, user: str, password: str) -> tuple[str, str]:
    """(user id, access token) for a new device named Plein."""
    client = make_client(homeserver, user)
    try:
        answer = await client.login(password=password, device_name=DEVICE_NAME)
    except (OSError, TimeoutError) as exc:
        raise PlatformUnavailable(f"cannot reach {homeserver} ({exc})") from None
    finally:
        await client.close()
    if not isinstance(answer, LoginResponse):
        code = getattr(answer, "status_code", "") or "refused"
        raise PlatformUnavailable(f"{homeserver} refused the login for {user} ({code})")
    return answer.user_id, answer.access_token


def login_command(config: PleinConfig, user: str, homeserver: str | None) -> int:
    """The password is read without echo (or as one line from a pipe) and never stored."""
    server = homeserver or config.matrix.homeserver
    if not server:
        raise ConfigError("--homeserver", ["give --homeserver or set [matrix].homeserver"])
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {user}: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    user_id, token = asyncio.run(login(server.rstrip("/"), user, password))
    print(Translator(config.community.language)("matrix.login.done", user=user_id))
    print(f"PLEIN_MATRIX__ACCESS_TOKEN={token}")
    return 0
