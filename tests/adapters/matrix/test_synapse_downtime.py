"""Plein on a real Synapse across downtime and refusals: what happened while Plein was down is
handled once (even when more happened than one sync returns), encrypted rooms are refused with a
message to the managers, and a room Plein is invited to later is served from then on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.matrix.content import POLL_START
from bot.clock import ManualClock, SystemClock
from tests.adapters.matrix.harness import Community, body
from tests.adapters.matrix.synapse_server import Synapse


@pytest.fixture
async def community(synapse: Synapse, tmp_path: Path) -> AsyncIterator[Community]:
    place = Community(synapse, tmp_path)
    yield place
    await place.close()


async def test_after_downtime_plein_answers_what_it_missed_and_welcomes_once(
    community: Community,
) -> None:
    community.adapter_options = {"timeline_limit": 3}
    await community.create()
    algemeen = community.rooms["algemeen"]
    gina = community.person("gina")
    await community.start()
    await gina.join(algemeen)
    await gina.from_plein(community.bot_id, "Welkom bij")
    await community.stop()

    # While Plein is down: a command, a newcomer and more chatter than one sync returns.
    await gina.say(algemeen, "!plein help")
    erin = community.person("erin")
    await erin.join(algemeen)
    for n in range(6):
        await erin.say(algemeen, f"bericht {n}")

    await community.start()
    await gina.from_plein(community.bot_id, "!plein poll")  # found by paging back
    await erin.from_plein(community.bot_id, "Welkom bij")

    await community.restart()
    await erin.say(algemeen, "!plein me")
    await erin.from_plein(community.bot_id, "")
    for member in (gina, erin):
        welcomes = [e for _, e in member.seen if "Welkom bij" in body(e)]
        assert len(welcomes) == 1


async def test_encrypted_rooms_are_refused_and_the_managers_told(community: Community) -> None:
    await community.create(encrypted=("voorstellen",))
    await community.start()
    bestuur = community.rooms["bestuur"]
    _, told = await community.owner.from_plein(community.bot_id, "encrypted", room=bestuur)
    assert "voorstellen" in body(told)
    assert community.adapter is not None
    assert "voorstellen" not in community.adapter.rooms.channels


async def test_a_room_plein_is_invited_to_later_is_served_from_then_on(
    community: Community,
) -> None:
    await community.create(uninvited=("welkom",))
    await community.start()
    welkom = community.rooms["welkom"]
    invited = await community.owner.client.room_invite(welkom, community.bot_id)
    assert type(invited).__name__ == "RoomInviteResponse", invited
    await community.owner.wait_for(
        lambda room_id, event: (
            room_id == welkom
            and event.get("type") == "m.room.member"
            and event.get("state_key") == community.bot_id
            and event["content"].get("membership") == "join"
        ),
        "Plein joining the room it was invited to",
    )
    await community.owner.say(welkom, "!plein help")
    await community.owner.from_plein(community.bot_id, "!plein poll")


async def test_untick_after_a_restart_takes_back_only_that_vote(community: Community) -> None:
    await community.create()
    algemeen = community.rooms["algemeen"]
    await community.start()
    owner, bot = community.owner, community.bot_id
    await owner.say(algemeen, '!plein poll "Which days?" Monday Tuesday max_choices:2 duration:1d')
    _, poll = await owner.wait_for(
        lambda room_id, event: room_id == algemeen and event.get("type") == POLL_START,
        "the poll",
    )
    monday, tuesday = (a["id"] for a in poll["content"][POLL_START]["answers"])
    await owner.vote(algemeen, poll["event_id"], [monday, tuesday])
    await owner.from_plein(bot, "Your choices in poll #1: Monday, Tuesday")

    await community.restart()
    await owner.vote(algemeen, poll["event_id"], [monday])  # Tuesday unticked
    await owner.from_plein(bot, "Your choices in poll #1: Monday.")
    await community.advance(days=1, minutes=1)
    await owner.from_plein(bot, "Most votes: Monday", room=algemeen)


async def test_a_join_from_long_before_the_restart_gets_no_late_welcome(
    synapse: Synapse, tmp_path: Path
) -> None:
    # Plein's clock three days past the homeserver's: every join it reads is three days old,
    # older than onboarding.catch_up_window (24h in the example), as after a long outage.
    clock = ManualClock(SystemClock().now() + timedelta(days=3))
    community = Community(synapse, tmp_path, clock=clock)
    try:
        await community.create()
        algemeen = community.rooms["algemeen"]
        await community.start()
        await community.stop()
        hana = community.person("hana")
        await hana.join(algemeen)
        await community.start()
        await hana.say(algemeen, "!plein me")
        await hana.from_plein(community.bot_id, "")
        assert not [e for _, e in hana.seen if "Welkom bij" in body(e)]
    finally:
        await community.close()
