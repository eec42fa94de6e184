"""Reconnects, rate limits and a missing privileged intent."""

from __future__ import annotations

import pytest

from adapters.discord import DiscordStartError
from tests.adapters.discord.harness import DiscordRun


def welcomes(fake, user_id: str) -> list:  # noqa: ANN001
    return [m for m in fake.dm_messages(user_id) if "Welkom" in m["content"]]


async def help_roundtrip(discord_run: DiscordRun, user_id: str) -> None:
    """A barrier: once /help is answered, the frames before it were handled."""
    fake = discord_run.fake
    asked = await fake.slash(user_id, "/help")
    await discord_run.wait(lambda: fake.response_to(asked))


async def test_resume_replays_missed_events_once_and_starts_nothing_twice(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    plein = await discord_run.start()
    adapter = discord_run.adapter
    assert adapter is not None
    jobs_before = len(plein.kit.jobs.recurring), len(plein.kit.jobs.deadlines)
    await fake.drop_connection(4000)
    maria = await fake.join("Maria")  # while disconnected: kept for the RESUME
    await discord_run.wait(lambda: fake.resumes == 1)
    await discord_run.wait(lambda: welcomes(fake, maria["id"]))
    await help_roundtrip(discord_run, maria["id"])
    assert fake.identifies == 1 and adapter.sessions == 1

    # A session Discord will not resume: a fresh IDENTIFY, READY again, on_ready again.
    adapter.connected.clear()
    await fake.invalidate_session()
    await discord_run.until_connected()
    assert fake.identifies == 2 and adapter.sessions == 2
    # Discord may send GUILD_MEMBER_ADD again for a member who is already there.
    await fake.dispatch(
        "GUILD_MEMBER_ADD", {**fake.members[maria["id"]], "guild_id": fake.guild_id}
    )
    await help_roundtrip(discord_run, maria["id"])
    await discord_run.settle()
    assert len(welcomes(fake, maria["id"])) == 1
    assert len(fake.calls_to("PUT", "/commands")) == 1, "commands synced once"
    assert (len(plein.kit.jobs.recurring), len(plein.kit.jobs.deadlines)) == jobs_before
    await discord_run.stop()


async def test_a_429_is_waited_out_and_retried(discord_run: DiscordRun) -> None:
    fake = discord_run.fake
    await discord_run.start()
    fake.rate_limit("POST", "/channels/", times=1, retry_after=0.01)
    nina = await fake.join("Nina")
    await discord_run.wait(lambda: welcomes(fake, nina["id"]))
    statuses = [c.status for c in fake.calls if c.method == "POST" and "/messages" in c.path]
    assert statuses[:2] == [429, 200]
    assert len(welcomes(fake, nina["id"])) == 1
    await discord_run.stop()


async def test_missing_members_intent_is_a_clear_error_not_a_silent_failure(
    discord_run: DiscordRun, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = discord_run.fake
    fake.members_intent_enabled = False
    await discord_run.start(wait_ready=False)
    assert discord_run.task is not None
    with pytest.raises(DiscordStartError) as raised:
        await discord_run.task
    assert raised.value.exit_code == 3
    assert "4014" in str(raised.value) and "Server Members" in str(raised.value)
    assert "Privileged Gateway Intents" in capsys.readouterr().err
    assert fake.close_codes[0] == 4014
