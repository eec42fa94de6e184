"""Onboarding end to end on the console community (the example config's [onboarding])."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.support import ConsoleRun, texts

AMS = ZoneInfo("Europe/Amsterdam")
WEEK = "Hoi @bob, je bent nu een week lid"


def only_onboarding(console: ConsoleRun) -> None:
    """Long waits run fast when the example's calendar, spotlight and report stay quiet."""
    for section in ("CALENDAR", "POLLS", "RECOGNITION", "SPOTLIGHT", "REPORT"):
        console.env[f"PLEIN_{section}__ENABLED"] = "false"


def of(out: list[dict], member: str = "bob") -> list[dict]:
    return [a for a in out if a.get("member") == member]


async def test_join_gets_welcome_rules_and_first_question_in_one_dm(console: ConsoleRun) -> None:
    out = await console.run("join bob")
    [welcome] = out
    assert welcome["action"] == "dm" and welcome["member"] == "bob"
    assert welcome["text"].startswith("Welkom bij Natuurvereniging De Groene Ring, @bob!")
    assert "Onze spelregels:\n1. We gaan vriendelijk" in welcome["text"]
    assert welcome["text"].endswith("Vraag 1/4: In welke plaats woon je?")
    assert [c["label"] for c in welcome["choices"]] == [
        "Ik ga akkoord",
        "Invullen als formulier",
        "Stel me voor aan andere leden",  # the introductions (issue 23)
    ]


async def test_whole_intake_accept_intro_and_one_followup_in_the_morning(
    console: ConsoleRun,
) -> None:
    only_onboarding(console)
    script = """
join bob
bob dm: Utrecht
bob picks 2 Vogels
bob picks 3 3
bob dm: overslaan
bob picks 1 Ik ga akkoord
bob picks 5 Ja, stel me voor
wait 14d
"""
    out = await console.run(script)
    bob = of(out)
    assert [a["text"].split("\n")[0] for a in bob[1:4]] == [
        "Vraag 2/4: Wat trekt je het meest in de natuur?",
        "Vraag 3/4: Waar zou je willen helpen?",
        "Vraag 4/4: Wat hoop je hier te vinden?",
    ]
    assert bob[4]["text"].startswith("Dank je wel! Je antwoorden zijn bewaard.")
    assert {"action": "role_add", "member": "bob", "role": "Lid"}.items() <= bob[5].items()
    assert bob[6]["text"] == "Dank je! Je hebt de spelregels geaccepteerd."
    [intro] = [a for a in out if a.get("channel") == "voorstellen"]
    assert intro["text"].startswith("Maak kennis met @bob!\nIn welke plaats woon je?: Utrecht")
    assert "Wat hoop je" not in intro["text"]  # not public
    followups = [a for a in bob if a["text"].startswith(WEEK)]
    assert len(followups) == 1
    local = datetime.fromisoformat(followups[0]["at"]).astimezone(AMS)
    assert (local.date().isoformat(), local.strftime("%H:%M")) == ("2026-03-30", "09:00")


async def test_poster_gets_no_lurker_nudge(console: ConsoleRun) -> None:
    only_onboarding(console)
    out = await console.run("join bob\nbob: Hallo allemaal!\nwait 8d")
    assert not [t for t in texts(out, "dm", "bob") if t.startswith(WEEK)]


async def test_replayed_join_gives_no_second_welcome(console: ConsoleRun) -> None:
    out = await console.run("join bob\njoin bob\njoin bob")
    assert len([t for t in texts(out, "dm", "bob") if t.startswith("Welkom")]) == 1


async def test_leave_cancels_followups_and_rejoin_gets_welcome_back(console: ConsoleRun) -> None:
    only_onboarding(console)
    out = await console.run("join bob\nleave bob\nwait 8d\njoin bob")
    assert texts(out, "dm", "bob")[1:] == [
        "Welkom terug bij Natuurvereniging De Groene Ring, @bob! Fijn dat je er weer bent."
    ]


async def test_restart_mid_questions_resumes_at_the_next_question(console: ConsoleRun) -> None:
    first = await console.run("join bob\nbob dm: Utrecht")
    assert texts(first, "dm", "bob")[-1].startswith("Vraag 2/4")
    second = await console.run("bob dm: 2")
    assert texts(second, "dm", "bob")[0].startswith("Vraag 3/4: Waar zou je willen helpen?")


async def test_form_is_asked_field_by_field_on_the_console(console: ConsoleRun) -> None:
    script = """
join bob
bob picks 1 Invullen als formulier
bob dm: Delft
bob dm: Planten
bob dm: Excursies
bob dm: Gezelligheid
bob: /profile
"""
    out = await console.run(script)
    bob = texts(out, "dm", "bob")
    assert "Welkomstvragen" in bob
    assert any(t.startswith("Dank je wel! Je antwoorden zijn bewaard.") for t in bob)
    profile = bob[-1]
    assert profile.startswith("Profiel van bob\nIn welke plaats woon je?: Delft")
    assert "Wat hoop je hier te vinden?: Gezelligheid (alleen jij ziet dit)" in profile


async def test_profile_of_another_member_shows_public_answers_only(console: ConsoleRun) -> None:
    script = """
join bob
bob dm: Utrecht
bob dm: 1
bob dm: 4
bob dm: Nieuwe mensen
join carla
carla: /profile member:@bob
carla: /profile edit
"""
    out = await console.run(script)
    carla = texts(out, "dm", "carla")
    profile = next(t for t in carla if t.startswith("Profiel van bob"))
    assert "In welke plaats woon je?: Utrecht" in profile
    assert "Waar zou je willen helpen?: Nog geen idee" in profile
    assert "Nieuwe mensen" not in profile
    assert carla[-2].startswith("We lopen de welkomstvragen nog eens door.\nVraag 1/4")
    assert carla[-1] == "Ik heb je de vragen in een privébericht gestuurd."


async def test_manager_preview_and_status(console: ConsoleRun) -> None:
    out = await console.run(
        "join bob\njoin anna\nanna: /onboarding preview\nanna: /onboarding status"
    )
    anna = texts(out, "dm", "anna")
    preview = anna[anna.index(next(t for t in anna if t.startswith("Voorbeeld"))) :]
    assert "Vraag 4/4: Wat hoop je hier te vinden?" in "\n".join(preview)
    assert any(t.startswith("Vervolgbericht na 7d (alleen als het lid nog niets") for t in preview)
    assert any(t.startswith("Als een lid terugkomt:") for t in preview)
    status = anna[-1]
    assert "Spelregels nog niet geaccepteerd (2): anna, bob" in status
    assert "Welkomstvragen nog niet beantwoord (2): anna, bob" in status
    out = await console.run("bob: /onboarding status")
    assert texts(out, "dm", "bob")[-1].startswith("Alleen communitybeheerders")


async def test_mass_join_is_throttled_and_drained_before_exit(console: ConsoleRun) -> None:
    console.env["PLEIN_ONBOARDING__DM_PER_MINUTE"] = "5"
    out = await console.run("\n".join(f"join m{n}" for n in range(12)))
    welcomes = [a for a in out if a["action"] == "dm" and a["text"].startswith("Welkom bij")]
    assert [a["member"] for a in welcomes] == [f"m{n}" for n in range(12)]
    minutes = [a["at"][11:16] for a in welcomes]
    assert minutes == ["07:00"] * 5 + ["07:01"] * 5 + ["07:02"] * 2


async def test_followup_to_closed_dms_falls_back_to_the_welcome_channel(
    console: ConsoleRun,
) -> None:
    only_onboarding(console)
    out = await console.run("join bob\nbob blocks dms\nwait 8d")
    assert not [t for t in texts(out, "dm", "bob") if t.startswith(WEEK)]
    [nudge] = [a for a in out if a["action"] == "post" and WEEK in a.get("text", "")]
    assert nudge["channel"] == "welkom"
    assert nudge["text"].startswith("@bob ")  # the mention, as for the welcome's fallback
