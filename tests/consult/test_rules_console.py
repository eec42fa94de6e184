"""Groundrules made together, on the console: propose, vote, adopt with a new version that
newcomers see, reject with a reason, and re-acceptance asked once of those who accepted before."""

from __future__ import annotations

from tests.support import ConsoleRun, texts

SETUP = "join anna\njoin bob\njoin carla\n"


async def test_a_proposal_is_voted_adopted_and_shown_to_newcomers(console: ConsoleRun) -> None:
    console.env["PLEIN_COMMUNITY__MANAGERS"] = '["anna"]'
    out = await console.run(
        SETUP
        + 'bob: /rules propose "Honden altijd aan de lijn tijdens excursies."\n'
        + "carla: /rules vote 1 eens\n"
        + "anna: /rules vote 1 oneens\n"
        + "carla: /rules list\n"
        + 'anna: /rules adopt 1 "Een duidelijke meerderheid"\n'
        + "bob: /rules list\n"
        + "join dirk\n"
    )
    assert "voorstel #1" in texts(out, "dm", "bob")[-2]
    poll = [t for t in texts(out, "post") if "Voorgestelde spelregel #1" in t]
    assert poll and "Honden altijd aan de lijn" in poll[0]
    listing = texts(out, "dm", "carla")[-1]
    assert "Onze spelregels (versie 1):" in listing
    assert "#1: Honden altijd aan de lijn tijdens excursies." in listing
    [announced] = [t for t in texts(out, "post") if t.startswith("📜")]
    assert "versie 2 van onze spelregels" in announced
    assert "Waarom: Een duidelijke meerderheid" in announced
    after = texts(out, "dm", "bob")[-1].splitlines()
    assert after[0] == "Onze spelregels (versie 2):"
    assert (
        "4. Honden altijd aan de lijn tijdens excursies. "
        "(toegevoegd op 23 mrt 2026, voorgesteld door de community)" in after
    )
    welcome = texts(out, "dm", "dirk")[0]
    assert "Honden altijd aan de lijn tijdens excursies. (toegevoegd op 23 mrt 2026" in welcome


async def test_reject_needs_a_reason_and_tells_the_proposer(console: ConsoleRun) -> None:
    console.env["PLEIN_COMMUNITY__MANAGERS"] = '["anna"]'
    out = await console.run(
        SETUP
        + 'bob: /rules propose "Geen foto\'s meer in het algemene kanaal."\n'
        + "carla: /rules adopt 1\n"
        + "anna: /rules reject 1\n"
        + 'anna: /rules reject 1 "Foto\'s zijn juist welkom"\n'
        + 'anna: /rules adopt 1 "toch wel"\n'
        + "carla: /rules vote 1 eens\n"
        + "carla: /rules vote 7 eens\n"
        + 'bob: /rules propose "   "\n'
    )
    carla = texts(out, "dm", "carla")
    assert "beheerders" in carla[-3]  # adopting is for managers
    anna = texts(out, "dm", "anna")
    assert anna[-3].startswith("Vul de reden nog in.")
    assert "afgewezen" in anna[-2]
    assert anna[-1] == "Over voorstel #1 is al beslist."
    assert carla[-2] == "Over voorstel #1 is al beslist."
    assert carla[-1] == "Er is geen voorstel #7. /rules list toont de open voorstellen."
    assert texts(out, "dm", "bob")[-1] == "Schrijf de regel die je voorstelt, in één zin."
    assert any(
        "niet aangenomen" in t and "Foto's zijn juist welkom" in t for t in texts(out, "dm", "bob")
    )
    assert not [t for t in texts(out, "post") if t.startswith("📜")]


async def test_reacceptance_is_asked_once_of_those_who_accepted(console: ConsoleRun) -> None:
    console.env["PLEIN_COMMUNITY__MANAGERS"] = '["anna"]'
    console.env["PLEIN_ONBOARDING__REQUIRE_REACCEPTANCE"] = "true"
    first = await console.run(
        SETUP
        + "bob picks 2 Ik ga akkoord\n"
        + "carla picks 3 Ik ga akkoord\n"
        + 'bob: /rules propose "We ruimen samen op na elke activiteit."\n'
        + 'anna: /rules adopt 1 "Goed idee"\n'
    )
    assert "2 leden die een eerdere versie accepteerden" in texts(first, "dm", "anna")[-1]
    asks = [a for a in first if a["action"] == "dm" and "nieuwe regel (versie 2)" in a["text"]]
    assert sorted(a["member"] for a in asks) == ["bob", "carla"]
    # A restart sends nothing again; bob accepts, carla not yet.
    bob_ask = next(a for a in asks if a["member"] == "bob")
    again = await console.run(f"bob picks {bob_ask['ref']} Ik accepteer\nwait 1d\n")
    assert not [a for a in again if a["action"] == "dm" and "nieuwe regel" in a["text"]]
    assert texts(again, "dm", "bob")[-1] == (
        "Dank je! Je hebt versie 2 van de spelregels geaccepteerd."
    )
