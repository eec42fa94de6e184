"""Discord with Plein's web port: /readyz follows the gateway, /metrics counts what the adapter
sees (interaction acks, 429s, reconnects)."""

from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun
from tests.adapters.discord.test_connection import help_roundtrip, welcomes


async def test_readyz_drops_while_the_gateway_is_down_and_counts_the_reconnect(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    discord_run.shared_web = True
    await discord_run.start()
    anna = await fake.join("Anna")  # a community with a member and a conversation
    await help_roundtrip(discord_run, anna["id"])
    assert (await discord_run.get("/readyz"))[0] == 200
    assert await discord_run.metric("plein_platform_reconnects_total", platform="discord") == 0

    await fake.close_gateway()
    await discord_run.wait(lambda: fake.held_connections == 1)  # discord.py is reconnecting
    status, body = await discord_run.get("/readyz")
    assert status == 503 and '"platform"' in body and "down" in body
    assert (await discord_run.get("/healthz"))[0] == 200  # alive, only not ready

    bert = await fake.join("Bert")  # while down: kept for the RESUME
    fake.open_gateway()
    await discord_run.wait(lambda: fake.resumes == 1)
    await discord_run.wait(lambda: welcomes(fake, bert["id"]))
    await help_roundtrip(discord_run, bert["id"])
    assert (await discord_run.get("/readyz"))[0] == 200
    assert await discord_run.metric("plein_platform_reconnects_total", platform="discord") == 1

    # A session Discord will not resume: a fresh READY is a reconnect too.
    discord_run.adapter.connected.clear()  # type: ignore[union-attr]
    await fake.invalidate_session()
    await discord_run.until_connected()
    await help_roundtrip(discord_run, bert["id"])
    assert await discord_run.metric("plein_platform_reconnects_total", platform="discord") == 2
    assert (await discord_run.get("/readyz"))[0] == 200
    await discord_run.stop()


async def test_metrics_count_interaction_acks_and_429s(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    discord_run.shared_web = True
    await discord_run.start()
    anna = await fake.join("Anna")
    await help_roundtrip(discord_run, anna["id"])
    acks = await discord_run.metric("plein_ack_seconds_count", platform="discord")
    assert acks == 1
    await help_roundtrip(discord_run, anna["id"])
    await help_roundtrip(discord_run, anna["id"])
    assert await discord_run.metric("plein_ack_seconds_count", platform="discord") == 3

    assert await discord_run.metric("plein_platform_rate_limited_total", platform="discord") == 0
    fake.rate_limit("POST", "/channels/", times=1, retry_after=0.01)
    nina = await fake.join("Nina")
    await discord_run.wait(lambda: welcomes(fake, nina["id"]))
    await help_roundtrip(discord_run, nina["id"])
    await discord_run.settle()
    limited = [c for c in fake.calls if c.status == 429]
    assert len(limited) == 1
    assert await discord_run.metric("plein_platform_rate_limited_total", platform="discord") == 1
    await discord_run.stop()
