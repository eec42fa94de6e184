"""Surveys on the console: a form answered as a DM sequence, answers changed until the close, one
reminder to exactly the members who have not answered, results, CSV and who-has-not-answered."""

from __future__ import annotations

from tests.support import ConsoleRun, texts

SETUP = "join anna\njoin bob\njoin carla\njoin dirk\n"
NEW = (
    'anna: /survey "Het najaarsprogramma" "poll: Welke dag? / zaterdag / zondag" '
    '"stelling: Excursies mogen langer duren" "Wat wil je nog kwijt?"\n'
)


def survey_ref(out: list[dict]) -> str:
    return next(a["ref"] for a in out if a["action"] == "post" and "Vragenlijst #1" in a["text"])


async def test_answer_change_remind_close_and_results(console: ConsoleRun) -> None:
    console.env["PLEIN_COMMUNITY__MANAGERS"] = '["anna"]'
    out = await console.run(SETUP + NEW)
    ref = survey_ref(out)
    assert "Vragenlijst #1 staat klaar" in texts(out, "dm", "anna")[-1]
    out = await console.run(
        f"bob picks {ref} Invullen\n"
        + "bob dm: zaterdag\nbob dm: 4\nbob dm: Meer vogels kijken!\n"
        + f"bob picks {ref} Invullen\n"  # bob changes his mind
        + "bob dm: zondag\nbob dm: Eens\nbob dm: Meer vogels kijken, en koffie\n"
        + f"carla picks {ref} Invullen\n"
        + "carla dm: maandag\ncarla dm: 2\ncarla dm: -\n"
        + "anna: /survey nonresponders 1\n"
        + "wait 6d1h\n"
    )
    assert "Dank je, je antwoorden zijn bewaard" in texts(out, "dm", "bob")[-1]
    assert "kies uit zaterdag, zondag" in "\n".join(texts(out, "dm", "carla"))
    assert "Nog niet ingevuld (2): @anna, @dirk" in "\n".join(texts(out, "dm", "anna"))
    reminders = [
        a["member"]
        for a in out
        if a["action"] == "dm" and "herinnering: de vragenlijst" in a["text"]
    ]
    assert sorted(reminders) == ["anna", "dirk"]
    # A restart after the reminder sends none again; the close posts the distributions once.
    out = await console.run(
        "wait 1d\nanna: /survey results 1\nanna: /report\n", start="2026-03-29T09:30:00+02:00"
    )
    assert not [
        a for a in out if a["action"] == "dm" and "herinnering: de vragenlijst" in a["text"]
    ]
    [closed] = [t for t in texts(out, "post") if "is gesloten" in t]
    assert "2 inzendingen" in closed
    assert "   zondag: 1 (100%)" in closed  # carla's 'maandag' was not an option
    assert "Meer vogels" not in closed  # written answers are for the managers only
    results, report = texts(out, "dm", "anna")[-2:]
    assert "📋 Vragenlijst #1 “Het najaarsprogramma” gesloten: 2 inzendingen" in report
    assert "“Meer vogels kijken, en koffie”" in results
    assert "   Eens: 1 (50%)" in results and "   Oneens: 1 (50%)" in results


async def test_anonymous_survey_never_says_who(console: ConsoleRun) -> None:
    console.env["PLEIN_COMMUNITY__MANAGERS"] = '["anna"]'
    out = await console.run(SETUP + NEW.replace('?"\n', '?" anoniem:ja\n'))
    ref = survey_ref(out)
    out = await console.run(
        f"bob picks {ref} Invullen\nbob dm: zaterdag\nbob dm: 5\nbob dm: Prima zo\n"
        + "anna: /survey nonresponders 1\n"
        + "anna: /survey export 1\n"
    )
    anna = texts(out, "dm", "anna")
    assert "anoniem: Plein zegt niet wie" in anna[-2]
    export = next(a for a in out if a["action"] == "dm" and a.get("files"))
    assert "console:bob" not in str(export)
