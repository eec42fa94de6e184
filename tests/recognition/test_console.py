"""End-to-end console sessions: what members and managers see."""

from __future__ import annotations

from tests.recognition.helpers import config_with, rungs
from tests.support import ConsoleRun, texts

SETUP = "join anna\njoin bob\n"


async def test_messages_and_replies_earn_points_with_the_cooldown_visible(
    console: ConsoleRun,
) -> None:
    out = await console.run(
        SETUP
        + "bob: Goedemorgen, wie gaat er zaterdag mee?\n"
        + "bob: Nog een bericht, vlak erna\n"
        + "bob: /me\n"
        + "wait 61s\n"
        + "bob replies 3: Ik neem de verrekijker mee!\n"
        + "bob: /me\n"
    )
    first, second = texts(out, "dm", "bob")[-2:]
    assert "Punten: 1 deze week · 1 deze maand · 1 in de laatste 90 dagen" in first
    assert "Je volgende bericht levert over 1m weer punten op" in first
    assert "Punten: 3 deze week" in second  # the reply is worth 2


async def test_a_promotion_is_announced_once(console: ConsoleRun) -> None:
    script = SETUP + "".join(
        f"bob: Bericht nummer {i} over de vogeltelling\nwait 61s\n" for i in range(8)
    )
    out = await console.run(script)
    # The second rung (of five) is told privately: announce_from defaults to the third.
    assert not [t for t in texts(out, "post") if "gestegen naar" in t]
    announcements = [t for t in texts(out, "dm", "bob") if "gestegen naar" in t]
    assert announcements == [
        "🎉 @bob is gestegen naar Raadplegen (trede 2 van 5 op onze participatieladder). "
        "Dank je wel voor alles wat je aan deze community bijdraagt!"
    ]
    # A restart and more contributions do not announce the same rung again.
    again = await console.run("bob: Nog meer over de vogeltelling\nbob: /me")
    assert not [t for t in texts(again, "post") + texts(again, "dm") if "is gestegen naar" in t]
    assert "Jouw niveau: Raadplegen (trede 2 van 5)" in texts(again, "dm", "bob")[-1]


async def test_promotion_can_grant_a_role_and_go_by_dm(console: ConsoleRun) -> None:
    console.config_text = config_with(
        'announce = "dm"', rungs(("Lezer", 0, None), ("Meedenker", 2, "Meedenker"))
    )
    out = await console.run(
        SETUP + "bob: Een bericht dat lang genoeg is\nwait 61s\nbob: En nog een lang bericht\n"
    )
    added = [(a["member"], a["role"]) for a in out if a["action"] == "role_add"]
    assert added == [("bob", "Meedenker")]
    assert any("gestegen naar Meedenker" in t for t in texts(out, "dm", "bob"))


async def test_me_and_top(console: ConsoleRun) -> None:
    out = await console.run(
        "join anna\njoin bob\njoin carla\n"
        + "bob: Een bericht dat lang genoeg is\n"
        + "carla: Een bericht dat lang genoeg is\n"
        + "carla reacts 4 👍\n"
        + "wait 61s\n"
        + "carla replies 4: Een antwoord in de draad\n"
        + "anna: /top\nbob: /top period:all\ncarla: /me\n"
    )
    top_anna, top_bob = texts(out, "dm", "anna")[-1], texts(out, "dm", "bob")[-1]
    assert top_anna.splitlines() == [
        "Meest actieve leden deze week:",
        "1. carla - 4",
        "2. bob - 2",
        "Je hebt nog geen punten in deze periode.",
    ]
    assert top_bob.splitlines()[0] == "Meest actieve leden aller tijden:"
    assert top_bob.splitlines()[-1] == "Jij: plaats 2 met 2 punten."
    me = texts(out, "dm", "carla")[-1].splitlines()
    assert me[0] == "Jouw niveau: Informeren (trede 1 van 5)"
    assert me[2] == "Volgende trede, Raadplegen: nog 1 punt"


async def test_managers_can_hide_the_leaderboard(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__LEADERBOARD"] = "false"
    out = await console.run(SETUP + "bob: /top\nanna: /top")
    assert "klassement uitgezet" in texts(out, "dm", "bob")[-1]
    assert "Alleen beheerders zien dit" in texts(out, "dm", "anna")[-1]


async def test_participation_view_for_managers(console: ConsoleRun) -> None:
    out = await console.run(
        "join anna\njoin bob\njoin carla\njoin dirk\n"
        + "bob: Een bericht dat lang genoeg is\n"
        + "carla reacts 5 👍\n"
        + "anna: /participation\nbob: /participation\n"
    )
    view = texts(out, "dm", "anna")[-1]
    assert "Deelname in de laatste 7 dagen (4 leden)" in view
    assert "alleen meelezen: 50% (2)" in view
    assert "reageren (emoji, stemmen, meedoen): 25% (1)" in view
    assert "maken (berichten, reacties, antwoorden, leiden): 25% (1)" in view
    assert "Alleen communitybeheerders" in texts(out, "dm", "bob")[-1]


async def test_points_give_and_revoke_are_audited(console: ConsoleRun) -> None:
    out = await console.run(
        SETUP
        + 'anna: /points give @bob 10 "organiseerde de excursie"\n'
        + 'anna: /points revoke @bob 4 "dubbel geteld"\n'
        + "bob: /points give @bob 100 ikzelf\n"
        + "anna: /points give @bob nul reden\n"
        + "bob: /me\n"
    )
    anna = texts(out, "dm", "anna")
    assert "Vastgelegd: 10 punten voor @bob." in anna
    assert "Vastgelegd: 4 punten teruggenomen van @bob." in anna
    assert "'punten' moet een heel getal zijn" in anna[-1]
    bob = texts(out, "dm", "bob")
    assert "De communitybeheerders gaven je 10 punten: organiseerde de excursie" in bob
    assert "Alleen communitybeheerders" in bob[-2]
    assert "Punten: 6 deze week" in bob[-1]


async def test_me_says_one_point_in_the_singular(console: ConsoleRun) -> None:
    out = await console.run(
        'join anna\njoin bob\nanna: /points give @bob 4 "hielp bij de telling"\nbob: /me'
    )
    me = texts(out, "dm", "bob")[-1]
    assert "Volgende trede, Raadplegen: nog 1 punt, nog 1 keer:" in me
