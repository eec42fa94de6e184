"""Property: whatever thanks arrive at once - from members and bots, to themselves, to bots, to
members twice - the stored kudos are, per giver, exactly min(quota, distinct eligible members
thanked): never oneself, never a bot, never one pair twice, never over the quota. On SQLite and
on PostgreSQL, through the real dispatcher."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.events import ListedMember, Member, MemberJoined, MembersListed, MessagePosted
from storage.db import Database
from storage.recognition_tables import kudos
from tests.support import ConsoleRun

HUMANS = ["anna", "bob", "carla", "dirk"]
BOT = "robo"
QUOTA = 3

said = st.lists(
    st.tuples(
        st.sampled_from([*HUMANS, BOT]),  # author
        st.lists(st.sampled_from([*HUMANS, BOT]), min_size=1, max_size=3),  # mentioned
        st.sampled_from(["Bedankt", "thanks!", "🙏", "tot zaterdag", "dankbaar"]),
    ),
    min_size=1,
    max_size=16,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'plein.db'}"
    return str(request.getfixturevalue("postgres_url"))


async def thank_at_once(url: str, run: str, lines: list[tuple[str, list[str], str]]) -> None:
    console = ConsoleRun(Path("unused.db"), env={"PLEIN_STORAGE__URL": url})
    console.env["PLEIN_RECOGNITION__KUDOS_PER_DAY"] = str(QUOTA)
    plein, adapter, _ = await console.start()
    adapter.host = plein
    await plein.ready()

    def ident(name: str) -> str:
        return f"console:{run}-{name}"

    try:
        listed = [ListedMember(ident(n), n) for n in HUMANS] + [
            ListedMember(ident(BOT), BOT, is_bot=True)
        ]
        await plein.dispatch(MembersListed(sync_id=run, batch=tuple(listed), last=True))
        for name in HUMANS:  # known, present members, as after a sync
            await plein.dispatch(MemberJoined(member=Member(ident(name), name)))
        await asyncio.gather(
            *(
                plein.dispatch(
                    MessagePosted(
                        author=Member(ident(author), author, is_bot=author == BOT),
                        channel="algemeen",
                        message_ref=f"{run}-{i}",
                        length=len(word),
                        mentions=tuple(ident(m) for m in mentioned),
                        text=f"{word} " + " ".join(f"@{m}" for m in mentioned),
                    )
                )
                for i, (author, mentioned, word) in enumerate(lines)
            )
        )
    finally:
        await plein.close()


async def stored(url: str, run: str) -> list[tuple[str, str]]:
    db = Database.from_url(url)
    try:
        async with db.connect() as conn:
            rows = await conn.execute(
                select(kudos.c.giver_id, kudos.c.receiver_id).where(
                    kudos.c.giver_id.like(f"console:{run}-%")
                )
            )
            return [(g.split("-", 1)[1], r.split("-", 1)[1]) for g, r in rows]
    finally:
        await db.close()


def test_thanks_never_self_never_bots_never_over_quota(database_url: str) -> None:
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(lines=said)
    def check(lines: list[tuple[str, list[str], str]]) -> None:
        run = uuid.uuid4().hex[:8]
        asyncio.run(thank_at_once(database_url, run, lines))
        pairs = asyncio.run(stored(database_url, run))
        assert all(giver != receiver for giver, receiver in pairs)
        assert all(BOT not in pair for pair in pairs)
        assert len(set(pairs)) == len(pairs)
        per_giver = Counter(giver for giver, _ in pairs)
        thanking = {"Bedankt", "thanks!", "🙏"}
        for giver in HUMANS:
            eligible = {
                m
                for author, mentioned, word in lines
                if author == giver and word in thanking
                for m in mentioned
                if m != giver and m != BOT
            }
            assert per_giver[giver] == min(QUOTA, len(eligible))

    check()
