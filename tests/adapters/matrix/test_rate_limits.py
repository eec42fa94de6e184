"""M_LIMIT_EXCEEDED is honoured: Plein waits retry_after_ms and sends once more, never gives up
on the first refusal, and never sends twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.matrix.api import (
    MAX_LIMIT_EXCEEDED,
    MatrixError,
    RawCalls,
    count_limits,
    make_client,
)
from adapters.matrix.forms import DmForms
from adapters.matrix.outgoing import Outgoing
from adapters.matrix.rooms import Rooms
from bot.actions import PostMessage
from bot.i18n import Translator
from tests.fakes.matrix import RateLimitedHomeserver

ROOM = "!algemeen:example.org"


@pytest.fixture
async def homeserver() -> AsyncIterator[RateLimitedHomeserver]:
    server = RateLimitedHomeserver(limited=2)
    await server.start()
    yield server
    await server.close()


async def test_account_data_waits_out_the_rate_limit(homeserver: RateLimitedHomeserver) -> None:
    client = make_client(homeserver.url, "@plein:example.org", "token")
    raw = RawCalls(client)
    counted: list[int] = []
    count_limits(client, raw, lambda: counted.append(1))
    try:
        await raw.set_account_data("nl.plein.sync", {"next_batch": "s1"})
    finally:
        await client.close()
    assert homeserver.account_data == {"nl.plein.sync": {"next_batch": "s1"}}
    assert len(homeserver.requests) == 3  # two refusals, then the write
    assert len(counted) == 2  # the metrics see each refusal


async def test_a_post_is_sent_once_after_the_rate_limit(homeserver: RateLimitedHomeserver) -> None:
    client = make_client(homeserver.url, "@plein:example.org", "token")
    rooms = Rooms(client, RawCalls(client))
    rooms.channels["algemeen"] = ROOM
    counted: list[int] = []
    count_limits(client, rooms.raw, lambda: counted.append(1))
    out = Outgoing(client, rooms, DmForms(), Translator("en"), lambda user: user)
    try:
        delivery = await out.perform(PostMessage(channel="algemeen", text="Hallo <b>allemaal</b>"))
    finally:
        await client.close()
    assert delivery.ok, delivery
    assert [s["body"] for s in homeserver.sent] == ["Hallo <b>allemaal</b>"]
    assert homeserver.sent[0]["m.mentions"] == {"user_ids": []}
    assert len(counted) == 2


async def test_a_rate_limit_that_does_not_end_is_an_error() -> None:
    server = RateLimitedHomeserver(limited=MAX_LIMIT_EXCEEDED + 5, retry_after_ms=1)
    await server.start()
    client = make_client(server.url, "@plein:example.org", "token")
    try:
        with pytest.raises(MatrixError) as refused:
            await RawCalls(client).set_account_data("nl.plein.sync", {"next_batch": "s1"})
    finally:
        await client.close()
        await server.close()
    assert refused.value.errcode == "M_LIMIT_EXCEEDED"
    assert len(server.requests) == MAX_LIMIT_EXCEEDED + 1
