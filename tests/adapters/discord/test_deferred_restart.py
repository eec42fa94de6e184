"""A deferred interaction outlives a restart: recorded before the defer, so the next start
apologises on its token while the token lives (15 minutes), and drops it silently after."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord
from tests.support import EXAMPLE_START, one_row

APOLOGY_NL = "opnieuw gestart"


def later(minutes: float) -> str:
    return (datetime.fromisoformat(EXAMPLE_START) + timedelta(minutes=minutes)).isoformat()


def followups(fake: FakeDiscord, interaction: str) -> list:  # noqa: ANN001
    return fake.calls_to("POST", f"/webhooks/{fake.application_id}/token-{interaction}")


async def open_deferred(run: DiscordRun) -> int:
    assert run.storage_url is not None
    (count,) = await one_row(
        run.storage_url,
        "SELECT count(*) FROM inbox WHERE kind = 'discord.interaction' AND processed_at IS NULL",
    )
    return int(count)


async def crash_while_answering(run: DiscordRun) -> tuple[str, str]:
    """/help is deferred, then Plein stops while its answer hangs at a slow Discord."""
    fake = run.fake
    run.defer_after = 0  # every answer is late: defer first
    await run.start()
    olga = await fake.join("Olga")  # a community with people and a bit of history
    await run.wait(lambda: fake.dm_messages(olga["id"]))
    release = fake.hold("PATCH", "/messages/@original")
    asked = await fake.slash(olga["id"], "/help")
    await run.wait(lambda: fake.held)
    assert fake.response_to(asked)["type"] == 5, "deferred: Discord now waits for the answer"
    await run.kill()  # stopped underneath the handler: the answer never arrives
    release.set()
    assert await open_deferred(run) == 1, "recorded before the defer, still open"
    return asked, olga["id"]


async def test_a_restart_within_15_minutes_apologises_on_the_token(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    asked, olga = await crash_while_answering(discord_run)
    assert followups(fake, asked) == []

    again = DiscordRun(
        fake=fake,
        db_path=discord_run.db_path,
        storage_url=discord_run.storage_url,
        defer_after=0,
    )
    await again.start(later(5))
    sent = await again.wait(lambda: followups(fake, asked))
    assert len(sent) == 1
    assert APOLOGY_NL in sent[0].json["content"]
    assert sent[0].json["flags"] & 64, "only the member who asked sees it"
    assert sent[0].status == 200
    await again.stop()
    assert await open_deferred(discord_run) == 0

    # Apologised once: a third start has nothing left to answer.
    third = DiscordRun(
        fake=fake,
        db_path=discord_run.db_path,
        storage_url=discord_run.storage_url,
    )
    await third.start(later(6))
    barrier = await fake.slash(olga, "/help")
    await third.wait(lambda: fake.response_to(barrier))
    assert len(followups(fake, asked)) == 1
    await third.stop()


async def test_after_15_minutes_the_dead_token_is_dropped_silently(
    discord_run: DiscordRun,
) -> None:
    fake = discord_run.fake
    asked, olga = await crash_while_answering(discord_run)

    again = DiscordRun(
        fake=fake,
        db_path=discord_run.db_path,
        storage_url=discord_run.storage_url,
    )
    await again.start(later(16))
    barrier = await fake.slash(olga, "/help")
    await again.wait(lambda: fake.response_to(barrier))
    assert followups(fake, asked) == []
    await again.stop()
    assert await open_deferred(discord_run) == 0, "dropped: no later start tries again"
