"""Issue 15: every fixed word a member types works in the community's language and in English,
and errors name options in the member's language. A Dutch community (the example config)."""

from __future__ import annotations

from tests.support import ConsoleRun, texts

MEMBERS = "join anna\njoin bob\njoin carla\n"


async def test_choice_words_and_option_names_in_dutch_and_english(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + "bob: /kudos @carla dank voor de wandeling\n"
        + "anna: /top period:maand\n"
        + "anna: /top periode:alles\n"
        + "anna: /top maand\n"
        + "anna: /top period:month\n"
        + "anna: /top periode:jaar\n"
    )
    anna = texts(out, "dm", "anna")[-5:]
    assert anna[0].startswith("Meest actieve leden deze maand:")
    assert anna[1].startswith("Meest actieve leden aller tijden:")
    assert anna[2].startswith("Meest actieve leden deze maand:")
    assert anna[3].startswith("Meest actieve leden deze maand:")
    assert anna[4] == "'jaar' is geen keuze voor 'periode'. Kies uit: week, maand, alles."


async def test_yes_no_and_durations_by_their_dutch_names(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS + 'bob: /poll "Picknick?" Park Bos anoniem:ja duur:2d toevoegen:nee\n'
    )
    [poll] = [a for a in out if a["action"] == "post" and "Poll #1" in a["text"]]
    assert "anoniem" in poll["text"] and "Strand" not in poll["text"]


async def test_errors_name_the_option_in_the_members_language(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS + "bob: /kudos @carla\n" + "anna: /points give @bob nul bedankt\n"
    )
    assert texts(out, "dm", "bob")[-1] == (
        "Vul de reden nog in. Gebruik het zo: /kudos <lid> <reden>"
    )
    assert texts(out, "dm", "anna")[-1] == "'punten' moet een heel getal zijn, niet 'nul'."


async def test_an_english_community_reads_english_words(tmp_path) -> None:
    run = ConsoleRun(db_path=tmp_path / "plein.db", env={"PLEIN_COMMUNITY__LANGUAGE": "en"})
    out = await run.run(MEMBERS + "bob: /kudos @carla\nanna: /top period:maand\n")
    assert texts(out, "dm", "bob")[-1] == (
        "Please add the reason. Use it like this: /kudos <member> <reason>"
    )
    assert texts(out, "dm", "anna")[-1] == (
        "'maand' is not a choice for 'period'. Pick one of: week, month, all."
    )
