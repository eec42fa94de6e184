"""`plein doctor` on Matrix: the homeserver answers, the access token is accepted, and every
channel the config names is a room Plein has joined and can read (not end-to-end encrypted)."""

from __future__ import annotations

import aiohttp
from nio import (
    AsyncClient,
    JoinedRoomsResponse,
    RoomGetStateEventResponse,
    WhoamiResponse,
)

from adapters.matrix.api import MatrixError, RawCalls, make_client
from adapters.matrix.rooms import Rooms
from adapters.matrix.setup import RoomSetup
from bot.config import PleinConfig
from bot.i18n import Translator
from bot.setup.doctor import CheckResult, configured_channels

TIMEOUT = aiohttp.ClientTimeout(total=15)


async def matrix_checks(config: PleinConfig, t: Translator) -> list[CheckResult]:
    settings = config.matrix
    reach = t("doctor.matrix.homeserver")
    if settings.homeserver is None:
        return [CheckResult(reach, t("doctor.matrix.fix.homeserver_missing"))]
    url = settings.homeserver
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.get(f"{url}/_matrix/client/versions") as answer,
        ):
            answer.raise_for_status()
    except (OSError, TimeoutError, aiohttp.ClientError) as exc:
        error = str(exc) or type(exc).__name__
        return [CheckResult(reach, t("doctor.matrix.fix.unreachable", url=url, error=error))]
    results = [CheckResult(reach)]
    token_label = t("doctor.matrix.token")
    if settings.access_token is None:
        return [*results, CheckResult(token_label, t("doctor.matrix.fix.token_missing"))]
    client = make_client(url, token=settings.access_token.get_secret_value())
    try:
        whoami = await client.whoami()
        if not isinstance(whoami, WhoamiResponse):
            error = str(getattr(whoami, "status_code", "") or "refused")
            fix = t("doctor.matrix.fix.token_rejected", error=error)
            return [*results, CheckResult(token_label, fix)]
        client.user_id = whoami.user_id
        results.append(CheckResult(token_label))
        results += await _room_checks(client, config, t)
    finally:
        await client.close()
    return results


async def _room_checks(
    client: AsyncClient, config: PleinConfig, t: Translator
) -> list[CheckResult]:
    setup = RoomSetup(client, Rooms(client, RawCalls(client)), config.matrix, config)
    try:
        wanted = await setup.wanted()
    except MatrixError:
        wanted = {}
    joined_answer = await client.joined_rooms()
    joined = set(joined_answer.rooms) if isinstance(joined_answer, JoinedRoomsResponse) else set()
    results = []
    for channel in configured_channels(config):
        label = t("doctor.matrix.room", channel=channel)
        room_id = wanted.get(channel)
        if room_id is None:
            results.append(CheckResult(label, t("doctor.matrix.fix.room_missing", channel=channel)))
            continue
        room = config.matrix.rooms.get(channel, room_id)
        if room_id not in joined:
            fix = t("doctor.matrix.fix.room_not_joined", user=client.user_id, room=room)
            results.append(CheckResult(label, fix))
            continue
        state = await client.room_get_state_event(room_id, "m.room.encryption")
        if isinstance(state, RoomGetStateEventResponse) and state.content:
            fix = t("doctor.matrix.fix.room_encrypted", room=room)
            results.append(CheckResult(label, fix))
            continue
        results.append(CheckResult(label))
    return results
