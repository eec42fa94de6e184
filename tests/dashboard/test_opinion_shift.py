"""The polls page computes a stelling's opinion shift: from its first round to its second, the
aggregate always, and for named rounds how the members who answered both moved - never who.

Storage on SQLite and on a real PostgreSQL; the page over HTTP in the community with history.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import Plein
from bot.features.dashboard.shift import Movement, opinion_shift
from storage.dashboard import SqlDashboardStore
from storage.db import Database
from tests.dashboard.community import NOW, DashboardCommunity, seed_extras, start_dashboard
from tests.dashboard.conftest import dashboard_env
from tests.fakes.discord.server import FakeDiscord
from tests.report.seed import seed

AT = NOW.astimezone(UTC)
FIRST, SECOND = 40, 41
ANON_FIRST, ANON_SECOND = 50, 51
SCALE = ["Helemaal eens", "Eens", "Neutraal", "Oneens", "Helemaal oneens"]
NAMED_ROUNDS = {
    # member: (position in the first round, in the second); None = did not answer
    "console:anna": (1, 1),  # kept her position
    "console:bram": (3, 2),  # towards agreeing
    "console:carla": (4, 2),  # towards agreeing
    "console:daan": (2, 4),  # towards disagreeing
    "console:eva": (5, None),  # first round only
    "console:finn": (None, 1),  # second round only
    None: (3, 3),  # an erased member: a ballot without an id in each round
}


async def seed_rounds(db: Database) -> None:
    stelling = {"kind": "stelling", "channel": "algemeen", "max_choices": 1,
                "live_results": True, "allow_add": False}  # fmt: skip
    await seed(
        db,
        "polls",
        [
            {**stelling, "id": FIRST, "question": "Meer excursies in de winter", "anonymous": False,
             "created_at": AT - timedelta(days=4), "closes_at": AT - timedelta(days=2),
             "closed_at": AT - timedelta(days=2)},
            {**stelling, "id": SECOND, "question": "Tweede ronde: meer excursies in de winter",
             "anonymous": False, "parent_id": FIRST, "created_at": AT - timedelta(days=2),
             "closes_at": AT - timedelta(days=1), "closed_at": AT - timedelta(days=1)},
            {**stelling, "id": ANON_FIRST, "question": "Nestkasten ophangen", "anonymous": True,
             "created_at": AT - timedelta(days=4), "closes_at": AT - timedelta(days=2),
             "closed_at": AT - timedelta(days=2)},
            {**stelling, "id": ANON_SECOND, "question": "Tweede ronde: nestkasten ophangen",
             "anonymous": True, "parent_id": ANON_FIRST, "created_at": AT - timedelta(days=2),
             "closes_at": AT - timedelta(days=1), "closed_at": AT - timedelta(days=1)},
        ],
    )  # fmt: skip
    await seed(
        db,
        "poll_options",
        [
            {"poll_id": poll, "position": position, "label": label}
            for poll in (FIRST, SECOND, ANON_FIRST, ANON_SECOND)
            for position, label in enumerate(SCALE, 1)
        ],
    )
    ballots: list[dict[str, Any]] = []
    votes: list[dict[str, Any]] = []
    for index, (member, rounds) in enumerate(NAMED_ROUNDS.items()):
        for poll, position in zip((FIRST, SECOND), rounds, strict=True):
            if position is None:
                continue
            ballot_id = len(ballots) + 100
            key = member or f"erased:{index}"
            ballots.append({"id": ballot_id, "poll_id": poll, "voter_key": key,
                            "member_id": member, "first_at": AT, "updated_at": AT})  # fmt: skip
            votes.append({"ballot_id": ballot_id, "slot": 0, "poll_id": poll,
                          "position": position, "cast_at": AT})  # fmt: skip
    # Anonymous rounds: even with member ids stored (older data), nobody is followed across.
    for poll, positions in ((ANON_FIRST, (1, 5)), (ANON_SECOND, (1, 1))):
        for member, position in zip(("console:anna", "console:bram"), positions, strict=True):
            ballot_id = len(ballots) + 100
            ballots.append({"id": ballot_id, "poll_id": poll, "voter_key": f"h{ballot_id}",
                            "member_id": member, "first_at": AT, "updated_at": AT})  # fmt: skip
            votes.append({"ballot_id": ballot_id, "slot": 0, "poll_id": poll,
                          "position": position, "cast_at": AT})  # fmt: skip
    await seed(db, "poll_ballots", ballots)
    await seed(db, "poll_votes", votes)


async def test_named_rounds_show_who_moved_where_as_shares(store: SqlDashboardStore) -> None:
    await seed_rounds(store.db)
    rounds = await store.stelling_rounds([(SECOND, FIRST), (ANON_SECOND, ANON_FIRST)])

    named = rounds[SECOND]
    assert named.before == {1: 1, 2: 1, 3: 2, 4: 1, 5: 1} and named.voters_before == 6
    assert named.after == {1: 2, 2: 2, 3: 1, 4: 1} and named.voters_after == 6
    # anna 1->1, bram 3->2, carla 4->2, daan 2->4; eva, finn and the erased member are not linked
    assert named.moves == {(1, 1): 1, (3, 2): 1, (4, 2): 1, (2, 4): 1}
    shift = opinion_shift(named)
    assert shift.movement == Movement(
        both_rounds=4, towards_agree=50, towards_disagree=25, unchanged=25
    )
    assert (shift.agree_before, shift.agree_after) == (33, 67)
    assert (shift.disagree_before, shift.disagree_after) == (33, 17)
    assert shift.average_move == 0.8  # 3.0 -> 2.17 on the scale: towards agreeing

    anonymous = rounds[ANON_SECOND]
    assert anonymous.moves is None
    shift = opinion_shift(anonymous)
    assert shift.movement is None
    assert (shift.agree_before, shift.agree_after, shift.average_move) == (50, 100, 2.0)


async def test_nothing_to_compare_is_no_shift(store: SqlDashboardStore) -> None:
    assert await store.stelling_rounds([]) == {}
    assert await store.stelling_rounds([(999, 998)]) == {}


@pytest.fixture
def history(history_copy: Path) -> Path:
    return history_copy


async def test_the_polls_page_shows_the_shift_and_never_who(
    history: Path, discord: FakeDiscord
) -> None:
    async def seed(plein: Plein) -> None:
        await seed_extras(plein)
        await seed_rounds(plein.db)

    community: DashboardCommunity = await start_dashboard(history, dashboard_env(discord), seed)
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            link = await community.link()
            async with session.post(link) as response:
                assert response.url.path == "/dashboard/overview"
            async with session.get(f"{community.url}/polls") as response:
                html = await response.text()
            async with session.get(f"{community.url}/polls?lang=en") as response:
                english = await response.text()
    finally:
        await community.close()
    named = html[html.index(f'id="shift-{SECOND}"') :].split("</div>", 1)[0]
    assert "Tweede ronde van stelling #40" in named
    assert "Eens 33% → 67%, oneens 33% → 17% (6 → 6 stemmers)" in named
    assert "Gemiddeld schoven de meningen 0,8 punten op naar eens." in named
    assert (
        "Van de 4 leden die beide rondes beantwoordden: 50% schoof op naar eens, 25% naar "
        "oneens, 25% bleef bij hun standpunt." in named
    )
    anonymous = html[html.index(f'id="shift-{ANON_SECOND}"') :].split("</div>", 1)[0]
    assert "Anoniem: niemand is van de ene ronde naar de andere te volgen" in anonymous
    assert "leden die beide rondes" not in anonymous
    assert "On average opinions moved 0.8 points towards agreeing." in english
    for member in NAMED_ROUNDS:
        if member:
            assert member not in html and member.removeprefix("console:") not in named
