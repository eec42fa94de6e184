"""Plein on a real Synapse: a community with members and history before Plein arrives, a
newcomer's whole intake, polls, a stelling, kudos, `!plein me`, a scheduled prompt, a refused
manager command, and a restart that greets no one twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.matrix.content import POLL_END, POLL_START
from tests.adapters.matrix.harness import Community, body
from tests.adapters.matrix.synapse_server import Synapse


@pytest.fixture
async def community(synapse: Synapse, tmp_path: Path) -> AsyncIterator[Community]:
    place = Community(synapse, tmp_path)
    await place.create()
    yield place
    await place.close()


def of_type(kind: str, room: str, text: str = "") -> Any:
    return lambda room_id, event: (
        room_id == room and event.get("type") == kind and text in body(event)
    )


async def test_a_newcomer_is_welcomed_once_and_takes_part(community: Community) -> None:
    algemeen = community.rooms["algemeen"]
    owner = community.owner
    carol = community.person("carol")  # a member from before Plein
    await carol.join(algemeen)
    await carol.say(algemeen, "Hallo allemaal, wie gaat er zaterdag mee vogels kijken?")

    await community.start()
    bot = community.bot_id

    # A newcomer joins the community room: a welcome DM with the rules and the first question.
    bob = community.person("bob")
    await bob.join(algemeen)
    dm, welcome = await bob.from_plein(bot, "Welkom bij")
    assert "vriendelijk en met respect" in body(welcome)  # the rules
    assert "1." in body(welcome)  # the choices are numbered

    # The first welcome question is answered in the DM; the next question follows.
    await bob.say(dm, "Utrecht")
    await bob.from_plein(bot, "Wat trekt je het meest", room=dm)
    # The rules are accepted with a numbered reply to the welcome message.
    await bob.reply(dm, welcome["event_id"], "1")
    await bob.from_plein(bot, "", room=dm)

    # A poll as a native Matrix poll; members tick answers; results when it closes.
    await owner.say(algemeen, '!plein poll "Which day?" Monday Tuesday duration:1d')
    _, poll = await bob.wait_for(of_type(POLL_START, algemeen, "Which day?"), "a native poll")
    answers = [a["id"] for a in poll["content"][POLL_START]["answers"]]
    assert [a["org.matrix.msc1767.text"] for a in poll["content"][POLL_START]["answers"]] == [
        "Monday",
        "Tuesday",
    ]
    await bob.vote(algemeen, poll["event_id"], [answers[1]])
    await bob.from_plein(bot, "Your vote in poll #1: Tuesday")
    await carol.vote(algemeen, poll["event_id"], [answers[0]])
    await carol.from_plein(bot, "Your vote in poll #1: Monday")
    await carol.vote(algemeen, poll["event_id"], [answers[1]])  # changes her mind
    await carol.from_plein(bot, "Your vote in poll #1: Tuesday")
    await community.advance(days=1, minutes=1)
    await owner.wait_for(of_type(POLL_END, algemeen), "the poll's end")
    await owner.from_plein(bot, "Most votes: Tuesday", room=algemeen)

    # A stelling, answered on its 5-point scale.
    await owner.say(algemeen, "!plein stelling We should meet more often outdoors")
    _, stelling = await carol.wait_for(
        of_type(POLL_START, algemeen, "meet more often"), "the stelling"
    )
    positions = stelling["content"][POLL_START]["answers"]
    assert len(positions) == 5
    await carol.vote(algemeen, stelling["event_id"], [positions[0]["id"]])
    await carol.from_plein(bot, "stelling #2")

    # Kudos reach bob, and `!plein me` shows them to him.
    await carol.say(algemeen, f"!plein kudos {bob.user_id} for the great excursion")
    await bob.from_plein(bot, "great excursion")
    await bob.say(algemeen, "!plein me")
    await bob.from_plein(bot, "kudos", room=dm)

    # Thanks in plain words, sent the way Element sends a mention (m.mentions and a pill): kudos
    # to carol, confirmed by Plein's quiet reaction on the message.
    pill = f'<a href="https://matrix.to/#/{carol.user_id}">carol</a>'
    thanks = await bob.say(
        algemeen,
        "Thanks carol, great tip!",
        format="org.matrix.custom.html",
        formatted_body=f"Thanks {pill}, great tip!",
        **{"m.mentions": {"user_ids": [carol.user_id]}},
    )
    await carol.wait_for(
        lambda room_id, event: (
            room_id == algemeen
            and event.get("type") == "m.reaction"
            and event.get("sender") == bot
            and event["content"].get("m.relates_to", {}).get("event_id") == thanks
        ),
        "Plein's reaction confirming the thanks",
    )

    # A member may not use a manager command.
    await bob.say(algemeen, "!plein onboarding status")
    await bob.from_plein(bot, "Only community managers", room=dm)

    # Scheduled work: Monday 09:00 passed while the poll ran (the clock started Monday 08:00):
    # the calendar's prompt in #algemeen, and the weekly report with its chart (an upload) in
    # #bestuur.
    await owner.from_plein(bot, "Welke vogel zag of hoorde jij", room=algemeen)
    await owner.from_plein(bot, "Weekly report", room=community.rooms["bestuur"])
    _, chart = await owner.wait_for(
        lambda room_id, event: (
            room_id == community.rooms["bestuur"]
            and event.get("sender") == bot
            and event["content"].get("msgtype") == "m.image"
        ),
        "the report chart",
    )
    assert chart["content"]["url"].startswith("mxc://")

    # Restart: Plein resumes from its sync token; bob is not welcomed again, carol never was.
    await community.restart()
    await bob.say(algemeen, "!plein help")
    await bob.from_plein(bot, "!plein poll", room=dm)
    welcomes = [e for _, e in bob.seen if "Welkom bij" in body(e) and e.get("sender") == bot]
    assert len(welcomes) == 1
    await carol.say(algemeen, "!plein me")
    await carol.from_plein(bot, "")
    assert not [e for _, e in carol.seen if "Welkom bij" in body(e)]


async def test_member_text_never_pings_and_commands_explain_mistakes(
    community: Community,
) -> None:
    algemeen = community.rooms["algemeen"]
    await community.start()
    bot = community.bot_id
    dave = community.person("dave")
    await dave.join(algemeen)
    await dave.from_plein(bot, "Welkom bij")
    await dave.say(algemeen, '!plein poll "@room <b>ping</b>?" yes no')
    _, poll = await dave.wait_for(of_type(POLL_START, algemeen), "the poll")
    assert poll["content"]["m.mentions"] == {}
    assert "<b>ping</b>" in body(poll)  # shown as text
    await dave.say(algemeen, "!plein pol")
    await dave.from_plein(bot, "!plein pol")
