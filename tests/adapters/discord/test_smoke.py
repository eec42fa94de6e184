from __future__ import annotations

from tests.adapters.discord.harness import DiscordRun


async def test_connects_syncs_and_answers_help(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    assert fake.identifies == 1
    (sync,) = fake.calls_to("PUT", "/commands")
    assert sync.status == 200, sync  # every real spec within Discord's documented limits
    assert sync.path == f"/applications/{fake.application_id}/guilds/{fake.guild_id}/commands"
    assert "help" in [c["name"] for c in fake.commands]
    member = fake.add_member("Bram")
    ident = await fake.slash(member["id"], "/help")
    body = await discord_run.wait(lambda: fake.response_to(ident))
    assert body["type"] == 4
    await discord_run.stop()
