"""Scripted console sessions over several simulated weeks."""

from __future__ import annotations

import re

from tests.support import ConsoleRun, texts

MEMBERS = ("bob", "carla", "dave", "eve", "femke", "gijs")
TITLE = re.compile(r"^🌟 In de spotlight deze week: @(\w+)")


def week_of_activity() -> str:
    lines = []
    for name in MEMBERS:
        lines.append(f"{name}: goedemorgen allemaal, vandaag weer de natuur in!")
    lines.append("wait 7d")
    return "\n".join(lines)


def spotlighted(actions: list[dict]) -> list[str]:
    out = []
    for action in actions:
        match = TITLE.match(action.get("text", ""))
        if action["action"] == "post" and match:
            out.append(match.group(1))
    return out


async def test_one_spotlight_a_week_fair_opt_out_and_nomination(console: ConsoleRun) -> None:
    console.env.update(
        {"PLEIN_SPOTLIGHT__COOLDOWN_WEEKS": "4", "PLEIN_SPOTLIGHT__INTERVIEW": "false"}
    )
    joins = "\n".join(f"join {name}" for name in ("anna", *MEMBERS))
    # The example community requires the groundrules: welcome DMs are refs 1-7.
    accepts = "\n".join(f"{name} picks {i + 2} Ik ga akkoord" for i, name in enumerate(MEMBERS))
    script = "\n".join(
        [
            joins,
            accepts,
            "eve: /spotlight optout",
            'bob: /spotlight nominate member:@dave reason:"Dave helpt elke nieuwkomer op weg"',
            "bob: /spotlight nominate member:@bob reason:zelf",
            *[week_of_activity() for _ in range(6)],
        ]
    )
    actions = await console.run(script)
    assert any("Jezelf voordragen" in t for t in texts(actions, "dm", "bob"))
    picks = spotlighted(actions)
    assert len(picks) == 6  # six Fridays, six spotlights
    assert picks[0] == "dave"
    first = next(a["text"] for a in actions if TITLE.match(a.get("text", "")))
    assert "Dave helpt elke nieuwkomer op weg" in first and "@bob" in first
    assert "eve" not in picks and "anna" not in picks  # opted out; managers are not picked
    for i, name in enumerate(picks):
        assert name not in picks[i + 1 : i + 4], picks

    # Monday of week 7: /spotlight now posts this week's spotlight once; a restart later in the
    # week and the scheduled Friday run do not post it again.
    now = await console.run(
        "anna: /spotlight now\nanna: /spotlight now\ncarla: /spotlight now",
        start="2026-05-04T09:00:00+02:00",
    )
    assert len(spotlighted(now)) == 1
    assert texts(now, "dm", "anna") == [
        "De spotlight van deze week is geplaatst.",
        "De spotlight van deze week is al geplaatst.",
    ]
    assert "Alleen communitybeheerders" in texts(now, "dm", "carla")[0]
    again = await console.run("anna: /spotlight now\nwait 4d", start="2026-05-05T09:00:00+02:00")
    assert spotlighted(again) == []
    # anna also hosts Verhalen van de Ring: Monday's unanswered calendar question reaches her
    answers = [t for t in texts(again, "dm", "anna") if "nog op antwoord" not in t]
    assert answers[0] == "De spotlight van deze week is al geplaatst."


async def test_interview_answers_are_used_and_decline_picks_someone_else(
    console: ConsoleRun,
) -> None:
    console.env.update({"PLEIN_SPOTLIGHT__MISSION_EVERY_WEEKS": "0"})
    script = "\n".join(
        [
            "join anna",
            "join bob",
            "join carla",
            "carla picks 3 Ik ga akkoord",
            "bob: /spotlight optout",
            'anna: /spotlight nominate member:@carla reason:"Carla kent elke vogel"',
            "carla: ik zag vanochtend een ijsvogel bij de brug",
            "bob: wat mooi, waar precies bij de brug?",
            "wait 2d",
        ]
    )
    actions = await console.run(script, start="2026-03-23T08:00:00+01:00")
    invite = [
        a for a in actions if a["action"] == "dm" and a.get("member") == "carla" and a["choices"]
    ]
    invite = [a for a in invite if a["choices"][0]["id"].startswith("spotlight:answer:")]
    assert len(invite) == 1 and "vrijdag om 10:00" in invite[0]["text"]
    ref = invite[0]["ref"]
    actions = await console.run(
        f"carla picks {ref} 1\ncarla dm: Mijn buurvrouw nam me mee op excursie\n"
        "carla dm: Het Vogelbos bij zonsopgang\nwait 3d",
        start="2026-03-25T08:00:00+01:00",
    )
    assert "Dank je! Je antwoorden komen in de spotlight." in texts(actions, "dm", "carla")
    post = next(a["text"] for a in actions if TITLE.match(a.get("text", "")))
    assert post.startswith("🌟 In de spotlight deze week: @carla")
    assert "Mijn buurvrouw nam me mee op excursie" in post
    assert "Carla kent elke vogel" in post


async def test_no_one_eligible_tells_the_managers(console: ConsoleRun) -> None:
    actions = await console.run("join anna\njoin bob\nbob: /spotlight optout\nwait 5d")
    notices = [a for a in actions if a["action"] == "post" and a.get("channel") == "bestuur"]
    assert any("Geen spotlight deze week" in a["text"] for a in notices)
    assert spotlighted(actions) == []


async def test_story_add_then_random_list_and_calendar_source(console: ConsoleRun) -> None:
    script = "\n".join(
        [
            "join anna",
            "join bob",
            'bob: /story add title:"De eerste excursie" text:"In 1998 liepen we met vijf mensen langs de Ring."',
            "bob: /story random",
            "bob: /story add title:Zonder",
            "bob dm: De reiger kwam terug naar de vijver.",
            "bob: /story list",
        ]
    )
    actions = await console.run(script)
    bob = texts(actions, "dm", "bob")
    assert any("Verhaal #1 “De eerste excursie” staat in het archief" in t for t in bob)
    shown = [
        a["text"] for a in actions if a["action"] == "post" and "📖 De eerste excursie" in a["text"]
    ]
    assert shown and "In 1998 liepen we" in shown[0] and "@bob" in shown[0]
    assert any("Verhaal #2 “Zonder”" in t for t in bob)
    assert any("#2 Zonder" in t and "#1 De eerste excursie" in t for t in bob)


async def test_manager_marks_a_message_as_story_by_reaction(console: ConsoleRun) -> None:
    script = "\n".join(
        [
            "join anna",
            "join bob",
            "bob: weet je nog hoe we de poel groeven in 2012?",
            "bob reacts 3 📖",
            "anna reacts 3 📖",
            "anna reacts 3 📖",
        ]
    )
    actions = await console.run(script)
    asks = [
        a for a in actions if a["action"] == "dm" and a.get("member") == "anna" and a["choices"]
    ]
    asks = [a for a in asks if a["choices"][0]["id"].startswith("story:write:")]
    assert len(asks) == 1  # only managers mark stories, and each message once
    actions = await console.run(
        f"anna picks {asks[0]['ref']} 1\nanna dm: De poel\nanna dm: Twintig vrijwilligers groeven in 2012 de poel.\n"
        "anna: /story list"
    )
    assert any("#1 De poel - @anna" in t for t in texts(actions, "dm", "anna"))


async def test_roles_request_approve_and_listing(console: ConsoleRun) -> None:
    actions = await console.run(
        "join anna\njoin bob\nbob: /role\nbob: /role request role:wizard\nbob: /role request role:coach"
    )
    bob = texts(actions, "dm", "bob")
    assert "Coach - helpt nieuwkomers hun weg te vinden" in bob[-3]
    assert "De rol 'wizard' bestaat niet" in bob[-2]
    notice = next(a for a in actions if a.get("channel") == "bestuur" and "Coach" in a["text"])
    actions = await console.run(
        f"bob picks {notice['ref']} 1\nanna picks {notice['ref']} 1\nbob: /role"
    )
    assert "Alleen communitybeheerders" in texts(actions, "dm", "bob")[0]
    assert any("Gefeliciteerd, je bent nu Coach" in t for t in texts(actions, "dm", "bob"))
    assert "Jouw rollen: Coach" in texts(actions, "dm", "bob")[-1]
    again = await console.run("anna: /role approve member:@bob role:Coach")
    assert "heeft de rol Coach al" in texts(again, "dm", "anna")[0]


async def test_each_week_of_one_long_run_has_its_interview(console: ConsoleRun) -> None:
    """The interview source says 'nothing' once this week's is sent; next week's becomes due
    when this week's spotlight fires, which pokes it (the scheduler keeps answers until then)."""
    console.env.update({"PLEIN_SPOTLIGHT__MISSION_EVERY_WEEKS": "0"})
    script = "\n".join(
        [
            "join anna",
            "join carla",
            "join dave",
            "anna picks 1 Ik ga akkoord",
            "carla picks 2 Ik ga akkoord",
            "dave picks 3 Ik ga akkoord",
            "anna: ik zag een ijsvogel bij de brug",
            "carla: wat mooi, waar precies?",
            "dave: bij de oude molen denk ik",
            "wait 9d",
        ]
    )
    actions = await console.run(script, start="2026-03-23T08:00:00+01:00")
    invites = [
        (a["choices"][0]["id"].removeprefix("spotlight:answer:"), a["at"])
        for a in actions
        if a["action"] == "dm"
        and (a.get("choices") or [{}])[0].get("id", "").startswith("spotlight:answer:")
    ]
    # each three days before its Friday 10:00 spotlight, not when the run ends
    assert invites == [
        ("2026-03-23", "2026-03-24T09:00:00+00:00"),
        ("2026-03-30", "2026-03-31T08:00:00+00:00"),
    ]
