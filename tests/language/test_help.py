"""Issue 15: /help in two groups, one command explained with an example, "did you mean", a bare
group explained, and a DM with no open question answered with what Plein can do."""

from __future__ import annotations

from tests.support import ConsoleRun, texts

MEMBERS = "join anna\njoin bob\n"  # anna manages the example community


async def test_help_groups_commands_and_hides_managers_commands(console: ConsoleRun) -> None:
    out = await console.run(MEMBERS + "bob: /help\nanna: /help\n")
    member = texts(out, "dm", "bob")[-1]
    manager = texts(out, "dm", "anna")[-1]
    assert "/kudos <lid> <reden>" in member and "/points give" not in member
    assert "Voor beheerders:" not in member
    before, after = manager.split("\nVoor beheerders:\n")
    assert "/kudos <lid> <reden>" in before and "/points give" not in before
    assert "/points give <lid> <punten> <reden>" in after and "/kudos" not in after
    assert member.endswith("Typ /help poll (of een ander commando) voor uitleg met een voorbeeld.")


async def test_help_for_one_command_and_a_bare_group(console: ConsoleRun) -> None:
    out = await console.run(MEMBERS + "bob: /help poll\nbob: /spotlight\nbob: /help points\n")
    poll, spotlight, points = texts(out, "dm", "bob")[-3:]
    assert poll.startswith("/poll <vraag> <optie...>")
    assert "  duur: Hoe lang de poll open blijft" in poll
    assert "Bijvoorbeeld: /poll Welke dag wandelen we? zaterdag zondag" in poll
    assert spotlight.startswith("/spotlight nominate <lid> <reden>")
    assert "Bijvoorbeeld: /spotlight nominate @bob helpt altijd nieuwkomers" in spotlight
    assert "/spotlight now" not in spotlight  # a manager's command
    assert points == "Alleen communitybeheerders kunnen /points gebruiken."


async def test_unknown_commands_get_a_did_you_mean(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS + "bob: /polll Welke dag? za zo\nbob: /stellnig Iets\nbob: /xyzzy\n"
    )
    assert texts(out, "dm", "bob")[-3:] == [
        "Het commando /polll ken ik niet. Bedoel je /poll?",
        "Het commando /stellnig ken ik niet. Bedoel je /stelling?",
        "Het commando /xyzzy ken ik niet. Typ /help om te zien wat ik kan.",
    ]
    assert not [a for a in out if a["action"] == "post"]


async def test_a_dm_without_an_open_question_gets_what_plein_can_do(tmp_path) -> None:
    run = ConsoleRun(db_path=tmp_path / "plein.db", env={"PLEIN_ONBOARDING__ENABLED": "false"})
    out = await run.run(MEMBERS + "bob dm: hallo?\n")
    [reply] = texts(out, "dm", "bob")
    assert reply.startswith("Hoi! Ik ben Plein, de bot van Natuurvereniging De Groene Ring.")
    assert "Typ /help" in reply


async def test_a_dm_answering_the_welcome_question_gets_only_the_next_question(
    console: ConsoleRun,
) -> None:
    out = await console.run(MEMBERS + "bob dm: Utrecht\n")
    after = texts(out, "dm", "bob")[1:]
    assert [t.splitlines()[0] for t in after] == ["Vraag 2/4: Wat trekt je het meest in de natuur?"]
