"""Discord RESUME and re-IDENTIFY on the protocol fake (real discord.py): a community with
members and a scheduled post that already went out loses its gateway twice, once resumable
(close 4000 -> RESUME, missed events replayed) and once not (op 9 d=false -> IDENTIFY, a fresh
READY, on_ready again). Nobody is welcomed twice and no scheduled post repeats."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    server.populate(40)  # members from before Plein: never welcomed
    await server.start()
    try:
        yield server
    finally:
        await server.close()


def welcomes(fake: FakeDiscord, user_id: str) -> list:  # noqa: ANN001
    return [m for m in fake.dm_messages(user_id) if "Welkom" in m["content"]]


def posts_in(fake: FakeDiscord, channel: str) -> list:  # noqa: ANN001
    wanted = fake.channel_id(channel)
    return [m for m in fake.messages.values() if m["channel_id"] == wanted]


async def barrier(run: DiscordRun, user_id: str) -> None:
    """Once /help is answered, every frame before it was handled."""
    asked = await run.fake.slash(user_id, "/help")
    await run.wait(lambda: run.fake.response_to(asked))


async def test_resume_and_reidentify_repeat_no_welcome_and_no_scheduled_post(
    fake: FakeDiscord, tmp_path: Path, storage_url: str
) -> None:
    run = DiscordRun(fake=fake, db_path=tmp_path / "plein.db", storage_url=storage_url)
    plein = await run.start()  # Monday 08:00 local; Monday's slot posts in #algemeen at 09:00
    time = plein.time_control
    assert time is not None
    await time.advance_to(plein.clock.now() + timedelta(hours=1, minutes=5))
    await run.settle()
    scheduled = await run.wait(lambda: posts_in(fake, "algemeen"))
    assert len(scheduled) == 1
    dispatched_before = fake._seq

    # Resumable: the socket drops, a member joins meanwhile, discord.py RESUMEs and Discord
    # replays everything after the last sequence number it saw.
    await fake.drop_connection(4000)
    maria = await fake.join("Maria")
    await run.wait(lambda: fake.resumes == 1)
    await run.wait(lambda: welcomes(fake, maria["id"]))
    await barrier(run, maria["id"])
    replayed = fake._seq - dispatched_before

    # Not resumable: op 9 d=false, a fresh IDENTIFY and READY; Discord may send the join again.
    assert run.adapter is not None
    run.adapter.connected.clear()
    await fake.invalidate_session()
    await run.until_connected()
    await fake.dispatch(
        "GUILD_MEMBER_ADD", {**fake.members[maria["id"]], "guild_id": fake.guild_id}
    )
    await time.advance_to(plein.clock.now() + timedelta(minutes=30))
    await run.settle()
    await barrier(run, maria["id"])

    assert (fake.identifies, fake.resumes) == (2, 1)
    assert replayed >= 1
    assert len(welcomes(fake, maria["id"])) == 1, "one welcome across RESUME and re-IDENTIFY"
    again = [m for m in posts_in(fake, "algemeen") if m["content"] == scheduled[0]["content"]]
    assert len(again) == 1, "Monday's slot posted once"
    welcomed_old = [m for m in fake.members if welcomes(fake, m) and m != maria["id"]]
    assert welcomed_old == [], "members from before Plein are never welcomed"
    await run.stop()


async def test_a_rate_limit_longer_than_discordpy_retries_loses_no_welcome(
    fake: FakeDiscord, tmp_path: Path, storage_url: str
) -> None:
    """Discord answers 429 (with `Via`, so discord.py waits and retries) to every message post
    for longer than discord.py's five tries; the welcome must still arrive, once, later."""
    run = DiscordRun(fake=fake, db_path=tmp_path / "plein.db", storage_url=storage_url)
    plein = await run.start()
    fake.rate_limit("POST", "/messages", times=8, retry_after=0.01)
    nina = await fake.join("Nina")
    await run.wait(lambda: len(fake.calls_to("POST", "/messages")) >= 5)
    time = plein.time_control
    assert time is not None
    for _ in range(30):  # 10 s at a time; each barrier lets the waiting retry run
        await barrier(run, nina["id"])
        if welcomes(fake, nina["id"]):
            break
        await time.advance_to(plein.clock.now() + timedelta(seconds=10))
    await run.wait(lambda: welcomes(fake, nina["id"]))
    await run.settle()
    await barrier(run, nina["id"])
    limited = [c for c in fake.calls_to("POST", "/messages") if c.status == 429]
    assert len(limited) == 8, "five refused to discord.py, three to Plein's retry"
    assert len(welcomes(fake, nina["id"])) == 1, "the welcome arrives once, after the 429s"
    await run.stop()
