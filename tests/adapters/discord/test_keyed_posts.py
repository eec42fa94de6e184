"""A keyed post (a calendar post, a poll close, a welcome: PostMessage.key) sent again, by a
retry or by a process taking over from a dead one, comes back as the first message: the nonce is
derived from the key and Discord honours `enforce_nonce` for the same bot within a few minutes
(/work/shared payloads: discord/message_nonce.md). Posts without a key are never deduplicated."""

from __future__ import annotations

from bot.actions import PostMessage, SendDM
from tests.adapters.discord.harness import DiscordRun


async def test_a_keyed_post_sent_twice_is_one_message(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    adapter = discord_run.adapter
    assert adapter is not None
    algemeen = fake.channel_id("algemeen")

    def in_algemeen() -> list[dict]:
        return [m for m in fake.messages.values() if m["channel_id"] == algemeen]

    post = PostMessage(channel="algemeen", text="De poll is gesloten", key="polls.close:7")
    first = await adapter.perform(post)
    again = await adapter.perform(PostMessage(**{**post.__dict__, "look_first": True}))
    assert first.ok and again.ref == first.ref
    assert len(in_algemeen()) == 1
    sent = fake.calls_to("POST", f"/channels/{algemeen}/messages")
    assert all(c.json["enforce_nonce"] is True for c in sent)
    assert len({c.json["nonce"] for c in sent}) == 1 and len(sent[0].json["nonce"]) <= 25

    other = await adapter.perform(PostMessage(channel="algemeen", text="x", key="polls.close:8"))
    assert other.ref != first.ref  # another key, another message
    plain = PostMessage(channel="algemeen", text="Hallo")
    assert (await adapter.perform(plain)).ref != (await adapter.perform(plain)).ref
    assert len(in_algemeen()) == 4

    fake.nonce_window_passes()  # Discord's dedupe is minutes, not forever
    late = await adapter.perform(post)
    assert late.ref != first.ref
    await discord_run.stop()


async def test_a_keyed_welcome_dm_sent_twice_is_one_message(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    adapter = discord_run.adapter
    assert adapter is not None
    olga = fake.add_member("Olga")
    dm = SendDM(member=f"discord:{olga['id']}", text="Welkom!", key="onboarding.welcome:3")
    first = await adapter.perform(dm)
    again = await adapter.perform(dm)
    assert first.ok and again.ref == first.ref
    assert len(fake.dm_messages(olga["id"])) == 1
    await discord_run.stop()
