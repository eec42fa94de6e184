"""Acceptance: scripted console sessions through the real app (simulated clock, real SQLite)."""

from __future__ import annotations

from pathlib import Path

from tests.polls.conftest import posts
from tests.support import ConsoleRun, texts


def read_text(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


MEMBERS = "join anna\njoin bob\njoin carla\njoin dirk\n"


async def test_create_pick_repick_bars_and_one_final_result(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + 'anna: /poll "Welke dag past?" Ma Di Wo\n'
        + "bob picks #1 Ma\n"
        + "carla picks #1 Di\n"
        + "dirk picks #1 Di\n"
        + "bob picks #1 Di\n"
        + "wait 1h\n"
        + "anna: /poll results 1\n"
        + "wait 3d\n"
    )
    [poll] = [a for a in posts(out) if a["text"].startswith("📊 Poll #1: Welke dag past?")]
    assert poll["ref"] == "1"
    assert [c["id"] for c in poll["choices"]] == ["poll:1:1", "poll:1:2", "poll:1:3"]
    assert "Ma ░░░░░░░░░░ 0 (0%)" in poll["text"]
    # The voter hears their current choice privately; re-picking changes it.
    bob = texts(out, "dm", "bob")
    assert "Je stem in poll #1: Ma. Tik een andere optie aan om te wisselen." in bob
    assert bob[-1] == "Je stem in poll #1: Di. Tik een andere optie aan om te wisselen."
    # Coalesced edits: the first vote edits at once, the burst after it in one edit 3s later.
    updates = [a for a in out if a["action"] == "update" and a["ref"] == "1"]
    assert len(updates) == 3
    assert "Di ██████████ 3 (100%)" in updates[1]["text"]
    assert "Stemmers: 3" in updates[1]["text"]
    # Manager sees the bars and who voted what (a named poll).
    [results] = [t for t in texts(out, "dm", "anna") if t.startswith("📊 Poll #1")]
    assert "Di ██████████ 3 (100%)" in results and "Di: @bob, @carla, @dirk" in results
    # Exactly one final result, posted once; the poll message loses its buttons.
    finals = [a for a in posts(out) if "Poll #1 is gesloten" in a["text"]]
    assert len(finals) == 1 and "De meeste stemmen: Di" in finals[0]["text"]
    assert updates[-1]["choices"] == [] and "is gesloten" in updates[-1]["text"]


async def test_multi_choice_toggles_and_respects_max_choices(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + 'anna: /poll "Welke excursies?" Heide Duinen Bos max_choices:2\n'
        + "bob picks 1 Heide\n"
        + "bob picks 1 Bos\n"
        + "bob picks 1 Duinen\n"
        + "bob picks 1 Heide\n"
        + "bob picks 1 Duinen\n"
    )
    assert texts(out, "dm", "bob")[-5:] == [
        "Je keuzes in poll #1: Heide. Tik een keuze opnieuw aan om hem weg te halen.",
        "Je keuzes in poll #1: Heide, Bos. Tik een keuze opnieuw aan om hem weg te halen.",
        "Je kunt hoogstens 2 opties kiezen. Tik eerst een van je keuzes opnieuw aan om hem "
        "weg te halen.",
        "Je keuzes in poll #1: Bos. Tik een keuze opnieuw aan om hem weg te halen.",
        "Je keuzes in poll #1: Duinen, Bos. Tik een keuze opnieuw aan om hem weg te halen.",
    ]
    last = [a for a in out if a["action"] == "update"][-1]["text"]
    assert "Bos    ██████████ 1 (100%)" in last and "Heide  ░░░░░░░░░░ 0 (0%)" in last


async def test_anonymous_poll_output_never_names_a_voter(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + 'dirk: /poll "Tevreden over het bestuur?" Ja Nee Soms anonymous:yes\n'
        + "bob picks 1 Ja\n"
        + "carla picks 1 Nee\n"
        + "bob picks 1 Soms\n"
        + "anna: /poll results 1\n"
        + "anna: /poll export 1\n"
        + "wait 2d\n"
        + "anna: /poll results 1\n"
    )
    public = [a for a in out if a["action"] in ("post", "update")]
    to_others = [a for a in out if a["action"] == "dm" and a["member"] in ("anna", "dirk")]
    for item in public + to_others:
        if "Poll #1" in item["text"] or "poll #1" in item["text"]:
            assert "bob" not in item["text"] and "carla" not in item["text"], item["text"]
    assert any("anoniem" in a["text"] for a in public)
    [export] = [a for a in out if a.get("files")]
    csv_text = read_text(export["files"][0])
    assert csv_text.splitlines()[0] == "poll,question,option,votes,voters"
    assert "bob" not in csv_text and "carla" not in csv_text and "console:" not in csv_text
    finals = [a for a in posts(out) if "Poll #1 is gesloten" in a["text"]]
    assert len(finals) == 1 and "Stemmers: 2" in finals[0]["text"]
    # The voters themselves still hear their own choice.
    assert texts(out, "dm", "bob")[-1].startswith("Je stem in poll #1: Soms.")


async def test_stelling_scale_thread_reply_and_summary(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + 'anna: /stelling "Honden horen aangelijnd in het natuurgebied." duration:1d\n'
        + "bob picks 1 1\n"
        + "carla picks 1 Oneens\n"
        + "dirk picks 1 Eens\n"
        + "bob replies 1: Voor de broedvogels, zeker in het voorjaar.\n"
        + "carla replies 1: Mijn hond blijft altijd op het pad.\n"
        + "dirk: los bericht, telt niet mee\n"
        + "wait 2d\n"
    )
    [stelling] = [a for a in posts(out) if a["text"].startswith("💬 Stelling #1:")]
    assert [c["label"] for c in stelling["choices"]] == [
        "Helemaal eens",
        "Eens",
        "Neutraal",
        "Oneens",
        "Helemaal oneens",
    ]
    assert texts(out, "dm", "carla")[-1].startswith("Je standpunt bij stelling #1: Oneens.")
    summaries = [a for a in posts(out) if "Stelling #1 is gesloten" in a["text"]]
    assert len(summaries) == 1
    summary = summaries[0]["text"]
    assert "Helemaal eens   ███░░░░░░░ 1 (33%)" in summary
    assert "Eens: 67% · neutraal: 0% · oneens: 33%" in summary
    assert "Reacties in de discussie: 2" in summary


async def test_stelling_second_round_reports_the_shift(console: ConsoleRun) -> None:
    console.env["PLEIN_POLLS__SECOND_ROUND"] = "true"
    out = await console.run(
        MEMBERS
        + 'anna: /stelling "We maaien het grasland pas in juli." duration:1d\n'
        + "bob picks 1 Oneens\n"
        + "carla picks 1 Oneens\n"
        + "wait 25h\n"
    )
    [round2] = [a for a in posts(out) if a["text"].startswith("💬 Stelling #2")]
    assert "Tweede ronde - heeft de discussie je mening veranderd?" in round2["text"]
    out = await console.run(
        f"bob picks {round2['ref']} Eens\ncarla picks {round2['ref']} Oneens\nwait 2d\n",
        start="2026-03-24T10:00:00+01:00",
    )
    [summary] = [a["text"] for a in posts(out) if "Stelling #2 is gesloten" in a["text"]]
    assert "Vergeleken met de eerste ronde: eens 0% → 50%, oneens 100% → 50%" in summary
    assert "richting eens" in summary


async def test_bad_input_gets_a_clear_reply_and_stores_nothing(console: ConsoleRun) -> None:
    long_question = "x" * 301
    long_option = "y" * 56
    eleven = " ".join(f"o{i}" for i in range(11))
    out = await console.run(
        "join anna\n"
        + 'anna: /poll "Alleen één?" Ja\n'
        + f'anna: /poll "Te veel?" {eleven}\n'
        + f'anna: /poll "{long_question}" Ja Nee\n'
        + f'anna: /poll "Lang?" Ja {long_option}\n'
        + 'anna: /poll "Lang open?" Ja Nee duration:33d\n'
        + 'anna: /poll "Gisteren?" Ja Nee closes:2026-03-01T10:00\n'
        + 'anna: /poll "Dubbel?" Ja ja\n'
        + 'anna: /poll "Keuzes?" Ja Nee max_choices:3\n'
        + "anna: /poll close 7\n"
    )
    replies = texts(out, "dm", "anna")
    assert replies == [
        "'optie' heeft tussen 2 en 10 waarden nodig. Gebruik het zo: /poll <vraag> "
        "<optie...> [max_keuzes:…] [anoniem:…] [uitslag:…] [duur:…] [sluit:…] "
        "[toevoegen:…]",
        replies[1],
        "'vraag' mag hoogstens 300 tekens lang zijn.",
        "'optie' mag hoogstens 55 tekens lang zijn.",
        "Een poll kan hoogstens 32 dagen open blijven.",
        "Die sluittijd is al voorbij; kies een moment in de toekomst.",
        "Twee opties zijn gelijk; maak elke optie anders.",
        "max_keuzes moet tussen 1 en 2 liggen (het aantal opties).",
        "Er is geen poll met nummer '7'. Het nummer staat in de titel van de poll (Poll #3).",
    ]
    assert replies[1].startswith("'optie' heeft tussen 2 en 10 waarden nodig.")
    assert not [a for a in out if a["action"] == "post"]


async def test_vote_on_closed_poll_changes_nothing(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + 'bob: /poll "Koffie of thee?" Koffie Thee\n'
        + "carla picks 1 Koffie\n"
        + "carla: /poll close 1\n"
        + "bob: /poll close 1\n"
        + "bob: /poll close 1\n"
        + "dirk picks 1 Thee\n"
        + "bob: /poll results 1\n"
    )
    assert texts(out, "dm", "carla")[-1] == (
        "Alleen de maker van poll #1 of een beheerder kan dat doen."
    )
    # The closed poll's message has no buttons any more (a stale click: see test_service.py).
    assert [a for a in out if a["action"] == "error"][0]["text"].endswith("has no choices")
    bob = texts(out, "dm", "bob")
    assert "Poll #1 is gesloten en de uitslag is geplaatst." in bob
    assert "Poll #1 was al gesloten." in bob
    assert "Koffie ██████████ 1 (100%)" in bob[-1] and "Stemmers: 1" in bob[-1]
    assert len([a for a in posts(out) if "Poll #1 is gesloten" in a["text"]]) == 1


async def test_hidden_results_and_adding_options(console: ConsoleRun) -> None:
    out = await console.run(
        MEMBERS
        + 'bob: /poll "Waar picknicken?" Park Bos results:hidden allow_add:yes\n'
        + "carla picks 1 Park\n"
        + "carla: /poll results 1\n"
        + "dirk: /poll add 1 Strand\n"
        + "dirk picks 1 Strand\n"
        + "bob: /poll results 1\n"
    )
    [poll] = [a for a in posts(out) if a["text"].startswith("📊 Poll #1")]
    assert "De uitslag verschijnt als de poll sluit." in poll["text"]
    assert "█" not in poll["text"] and "/poll add 1 <optie>" in poll["text"]
    assert texts(out, "dm", "carla")[-1] == "De uitslag van poll #1 verschijnt als hij sluit."
    assert texts(out, "dm", "dirk")[-2] == "'Strand' is toegevoegd aan poll #1."
    added = [a for a in out if a["action"] == "update" and len(a["choices"]) == 3]
    assert added and added[0]["choices"][2]["id"] == "poll:1:3"
    assert "Strand" in texts(out, "dm", "dirk")[-1]
    assert "Park: @carla" in texts(out, "dm", "bob")[-1]


async def test_poll_survives_a_restart_and_closes_once(console: ConsoleRun) -> None:
    first = await console.run(MEMBERS + 'anna: /poll "Welke datum?" Za Zo\nbob picks 1 Za\n')
    assert texts(first, "dm", "bob")[-1].startswith("Je stem in poll #1: Za.")
    # Restart: the old message's buttons still vote; the stored close time closes it once.
    second = await console.run(
        "carla picks 1 Zo\ndirk picks 1 Zo\nwait 3d\n", start="2026-03-24T09:00:00+01:00"
    )
    assert texts(second, "dm", "carla")[-1].startswith("Je stem in poll #1: Zo.")
    finals = [a for a in posts(second) if "Poll #1 is gesloten" in a["text"]]
    assert len(finals) == 1 and "Stemmers: 3" in finals[0]["text"]
    # Another restart later: no second announcement.
    third = await console.run("wait 1d\n", start="2026-03-28T09:00:00+01:00")
    assert third == []


async def test_overdue_poll_closes_once_right_after_a_restart(console: ConsoleRun) -> None:
    await console.run(MEMBERS + 'anna: /poll "Wie komt?" Ik Niet duration:1h\nbob picks 1 Ik\n')
    later = await console.run("", start="2026-03-25T09:00:00+01:00")
    finals = [a for a in posts(later) if "Poll #1 is gesloten" in a["text"]]
    assert len(finals) == 1 and "De meeste stemmen: Ik" in finals[0]["text"]
    again = await console.run("", start="2026-03-26T09:00:00+01:00")
    assert not [a for a in posts(again) if "gesloten" in a["text"]]
