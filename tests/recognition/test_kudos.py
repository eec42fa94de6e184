"""/kudos: quota per giver per day, a cooldown per pair, never to oneself; committed, then told."""

from __future__ import annotations

from typing import Any

from tests.support import ConsoleRun, texts

SETUP = "join anna\njoin bob\njoin carla\njoin dirk\n"


def answers(out: list[dict[str, Any]], member: str) -> list[str]:
    """A member's DMs, without the health nudge anna gets as host of Monday's calendar question."""
    return [t for t in texts(out, "dm", member) if "nog op antwoord" not in t]


async def test_kudos_is_recorded_and_the_receiver_notified(console: ConsoleRun) -> None:
    out = await console.run(SETUP + 'anna: /kudos @bob "voor de mooie foto\'s"\nbob: /me')
    assert "Je kudos voor @bob is vastgelegd" in texts(out, "dm", "anna")[-1]
    assert "🙏 @anna geeft je kudos: “voor de mooie foto's”" in texts(out, "dm", "bob")
    me = texts(out, "dm", "bob")[-1]
    assert "Ontvangen kudos: 1" in me and "@anna: “voor de mooie foto's”" in me


async def test_no_self_kudos_and_a_pair_cooldown(console: ConsoleRun) -> None:
    out = await console.run(
        SETUP
        + 'anna: /kudos @anna "ik ben geweldig"\n'
        + 'anna: /kudos @bob "dank"\n'
        + 'anna: /kudos @bob "nog eens dank"\n'
        + "wait 13h\n"
        + 'anna: /kudos @bob "en weer"\n'
    )
    replies = answers(out, "anna")
    assert "jezelf kun je ze niet geven" in replies[-4]
    assert "vastgelegd" in replies[-3]
    assert replies[-2] == "Je hebt @bob onlangs al bedankt. Na 12h kun je weer kudos geven."
    assert "vastgelegd" in replies[-1]
    assert len([t for t in texts(out, "dm", "bob") if "geeft je kudos" in t]) == 2


async def test_daily_quota_per_giver_resets_the_next_day(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__KUDOS_PER_DAY"] = "2"
    out = await console.run(
        SETUP
        + 'anna: /kudos @bob "een"\n'
        + 'anna: /kudos @carla "twee"\n'
        + 'anna: /kudos @dirk "drie"\n'
        + "wait 1d\n"
        + 'anna: /kudos @dirk "drie, nu wel"\n'
    )
    replies = answers(out, "anna")
    assert "Je hebt je 2 kudos voor vandaag al gegeven." in replies[-2]
    assert "vastgelegd" in replies[-1]
    assert texts(out, "dm", "dirk")[-1] == "🙏 @anna geeft je kudos: “drie, nu wel”"


async def test_kudos_needs_a_known_member_and_a_reason(console: ConsoleRun) -> None:
    out = await console.run(SETUP + "anna: /kudos @nobody thanks\nanna: /kudos @bob")
    replies = texts(out, "dm", "anna")
    assert "Ik kan geen lid vinden met de naam @nobody." in replies[-2]
    assert "Vul de reden nog in." in replies[-1]
