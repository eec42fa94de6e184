"""MESSAGE_CREATE is read straight from the gateway payload (adapters/discord/lean_messages.py),
without a discord.Message: what Plein makes of a message is read back from the database and from
what the real discord.py sent to the fake Discord."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from storage.recognition_tables import contributions
from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import payloads as p


async def stored(run: DiscordRun) -> list[tuple[str, str, str | None, int]]:
    assert run.plein is not None
    await run.plein.flush()
    async with run.plein.db.connect() as conn:
        rows = await conn.execute(
            select(
                contributions.c.member_id,
                contributions.c.kind,
                contributions.c.channel,
                contributions.c.length,
            ).order_by(contributions.c.id)
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_messages_replies_threads_mentions_and_bots_count_as_before(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    fake.content_intent_enabled = True
    discord_run.env["PLEIN_DISCORD__MESSAGE_CONTENT"] = "true"
    anna, bram = fake.add_member("Anna"), fake.add_member("Bram")
    robo = fake.add_member("Robo", usr={**p.user(fake.new_id(), "Robo"), "bot": True})
    await discord_run.start()
    algemeen = fake.channel_id("algemeen")

    first = await fake.say(anna["id"], "algemeen", "Wie gaat er zaterdag mee?")
    reply = {
        **p.fixture("message_create.guild.json")["d"],
        "id": fake.new_id(),
        "channel_id": algemeen,
        "guild_id": fake.guild_id,
        "author": bram,
        "member": {k: v for k, v in fake.members[bram["id"]].items() if k != "user"},
        "content": "ik!",
        "mentions": [],
        "message_reference": {"message_id": first["id"], "channel_id": algemeen},
        "referenced_message": first,
    }
    await fake.dispatch("MESSAGE_CREATE", reply)
    thread_id = fake.new_id()
    await fake.dispatch(
        "THREAD_CREATE", p.thread(thread_id, fake.guild_id, algemeen, anna["id"], "zaterdag")
    )
    await fake.say(bram["id"], "algemeen", "in de draad", thread_of=thread_id)
    await fake.say(robo["id"], "algemeen", "beep")
    thanked = await fake.say(
        bram["id"], "algemeen", "bedankt voor het regelen!", mentions=[anna["id"], robo["id"]]
    )
    assert discord_run.adapter is not None and discord_run.adapter.client is not None
    # one worker dispatches messages in order: the thanks answered means all before it are in
    await discord_run.wait(lambda: fake.calls_to("PUT", f"/messages/{thanked['id']}/reactions"))

    rows = await stored(discord_run)
    anna_id, bram_id, robo_id = (f"discord:{m['id']}" for m in (anna, bram, robo))
    assert (anna_id, "message", "algemeen", len("Wie gaat er zaterdag mee?")) in rows
    assert (bram_id, "reply", "algemeen", 3) in rows, "a reply counts as one"
    assert (bram_id, "reply", "algemeen", len("in de draad")) in rows, "a thread is its parent"
    assert not [r for r in rows if r[0] == robo_id], "a bot's message counts for nobody"
    thanks = fake.calls_to("PUT", f"/messages/{thanked['id']}/reactions")
    assert len(thanks) == 1, "the thanks went to Anna only; the mentioned bot gets none"
    channel = discord_run.adapter.client.get_channel(int(algemeen))
    assert getattr(channel, "last_message_id", None) == int(thanked["id"]), "as discord.py keeps it"
    await discord_run.stop()


async def test_a_message_payload_plein_cannot_read_is_dropped_and_the_stream_goes_on(
    discord_run: DiscordRun, caplog: pytest.LogCaptureFixture
) -> None:
    fake = discord_run.fake
    fake.content_intent_enabled = True
    discord_run.env["PLEIN_DISCORD__MESSAGE_CONTENT"] = "true"
    anna, bram = fake.add_member("Anna"), fake.add_member("Bram")
    await discord_run.start()
    broken = {"id": fake.new_id(), "channel_id": fake.channel_id("algemeen")}  # no author
    with caplog.at_level(logging.WARNING, logger="plein.discord.lean"):
        await fake.dispatch("MESSAGE_CREATE", broken)
        thanked = await fake.say(bram["id"], "algemeen", "bedankt Anna!", mentions=[anna["id"]])
        await discord_run.wait(lambda: fake.calls_to("PUT", f"/messages/{thanked['id']}/reactions"))
    posts = [r[:2] for r in await stored(discord_run) if r[1] in ("message", "reply")]
    assert posts == [(f"discord:{bram['id']}", "message")]
    assert fake.identifies == 1, "the connection was not lost over it"
    assert any("cannot read" in r.getMessage() for r in caplog.records)
    await discord_run.stop()


@pytest.mark.parametrize("shards", [None, "1"], ids=["one-client", "sharded"])
async def test_a_burst_faster_than_plein_dispatches_is_held_back_at_the_socket_and_all_counted(
    discord_run: DiscordRun, shards: str | None
) -> None:
    """The message queue never grows past its high-water mark: the gateway is not read meanwhile
    (memory stays bounded), and nothing is lost; on the sharded client too (each shard has a
    socket of its own)."""
    fake = discord_run.fake
    if shards is not None:
        discord_run.env["PLEIN_DISCORD__SHARD_COUNT"] = shards
    members = [fake.add_member(f"Lid{n}") for n in range(5)]
    await discord_run.start()
    assert discord_run.adapter is not None and discord_run.adapter.client is not None
    worker = discord_run.adapter.client.messages
    worker.high_water, worker.low_water = 20, 10
    burst = 300
    for n in range(burst):
        await fake.say(members[n % 5]["id"], "algemeen", "")
    ident = await fake.slash(members[0]["id"], "/help")  # behind the whole burst on the socket
    await discord_run.wait(lambda: fake.response_to(ident), within=30)
    assert worker.held_back >= 1
    assert worker.peak <= 20, worker.peak
    await worker.work_off(float("inf"))
    posts = [r for r in await stored(discord_run) if r[1] == "message"]
    assert len(posts) == burst
    await discord_run.stop()
