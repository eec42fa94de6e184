"""Plein starts on a Discord server that already has 1,000 members: it asks for them through the
gateway (op 8 -> GUILD_MEMBERS_CHUNK), welcomes nobody, counts everyone; after downtime it
welcomes only the recent joiner and marks the leaver as left."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord

RESTART = "2026-03-26T09:00:00+01:00"


def dm_channels_opened(fake: FakeDiscord) -> list[Any]:
    return fake.calls_to("POST", "/users/@me/channels")


def answered(fake: FakeDiscord, interaction: str) -> bool:
    """Answered for good: a message callback, or the edit that follows a deferral."""
    first = fake.response_to(interaction)
    if first is None:
        return False
    edits = fake.calls_to("PATCH", f"/webhooks/{fake.application_id}/token-{interaction}")
    return first["type"] != 5 or bool(edits)


def texts_with(fake: FakeDiscord, needle: str) -> list[str]:
    found = []
    for call in fake.calls:
        body = call.json if isinstance(call.json, dict) else {}
        content = body.get("content") or body.get("data", {}).get("content") or ""
        if needle in content:
            found.append(content)
    return found


async def test_existing_guild_then_downtime_with_joins_and_a_leave(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    fake.populate(998)
    boss = fake.add_member("Saar", roles=["Bestuur"])
    veteran = next(m["user"] for m in fake.members.values() if m["user"]["username"] == "lid00007")
    plein = await discord_run.start()

    assert fake.chunk_requests == 1  # member_count > what READY carried: discord.py asked
    chunks = [f for f in fake._history if f["t"] == "GUILD_MEMBERS_CHUNK"]
    assert [c["d"]["chunk_index"] for c in chunks] == [0, 1]
    assert all(c["d"]["chunk_count"] == 2 and c["d"]["nonce"] for c in chunks)
    assert await plein.kit.members.count_present() == 1000  # 998 + owner + Saar; not the bot
    assert dm_channels_opened(fake) == []  # not one welcome DM
    info = await plein.kit.members.get(f"discord:{veteran['id']}")
    assert info is not None and info.first_joined_at == datetime.fromisoformat(
        "2024-05-01T12:00:00+00:00"
    )  # Discord's joined_at, not the sync time

    await fake.say(veteran["id"], "algemeen", "al jaren lid")
    await discord_run.settle()
    time = plein.time_control
    assert time is not None
    await time.advance_to(plein.clock.now() + timedelta(hours=1))
    asked = await fake.slash(boss["id"], "/report show")
    # 09:00 on Monday also posts the weekly report for 16-22 March: the owner and Saar joined on
    # the 23rd in this fake (its default joined_at), so that week had 998 members. /report covers
    # today as well: all 1,000, none of them new.
    reports = await discord_run.wait(lambda: (found := texts_with(fake, "Leden:"))[1:] and found)
    assert "Leden: 998 (0 nieuw)" in reports[0]
    assert "Leden: 1000 (0 nieuw)" in reports[1]
    now = await fake.slash(boss["id"], "/spotlight now")
    await discord_run.wait(lambda: answered(fake, now))
    spotlight = await discord_run.wait(lambda: texts_with(fake, "spotlight deze week"))
    assert f"<@{veteran['id']}>" in spotlight[0]  # here before Plein, and active
    await discord_run.wait(lambda: answered(fake, asked))
    await discord_run.settle()
    await discord_run.stop()

    # Down for three days: Nina joined 2 hours ago, Otto 2 days ago (beyond 24h), one left.
    restart = datetime.fromisoformat(RESTART)
    nina = fake.add_member("Nina", joined_at=(restart - timedelta(hours=2)).isoformat())
    otto = fake.add_member("Otto", joined_at=(restart - timedelta(days=2)).isoformat())
    gone = fake.members.pop(
        next(i for i, m in fake.members.items() if m["user"]["username"] == "lid00003")
    )
    opened_before = len(dm_channels_opened(fake))
    plein = await discord_run.start(RESTART)
    await discord_run.wait(lambda: fake.dm_messages(nina["id"]))
    await discord_run.settle()
    opened = [str(c.json["recipient_id"]) for c in dm_channels_opened(fake)[opened_before:]]
    assert opened == [nina["id"]]  # exactly the recent joiner is welcomed
    registered = await plein.kit.members.get(f"discord:{otto['id']}")
    assert registered is not None and registered.left_at is None
    left = await plein.kit.members.get(f"discord:{gone['user']['id']}")
    assert left is not None and left.left_at == restart
    assert await plein.kit.members.count_present() == 1001
    await discord_run.stop()
