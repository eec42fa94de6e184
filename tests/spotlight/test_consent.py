"""Issue 15: the spotlight picks only members who accepted the groundrules (when the community
requires that), and quotes welcome answers only with the member's consent: the question is
`public` in the config and the member said yes to a public introduction with those answers."""

from __future__ import annotations

import re

from tests.support import ConsoleRun

QUIET = {"PLEIN_SPOTLIGHT__INTERVIEW": "false", "PLEIN_SPOTLIGHT__MISSION_EVERY_WEEKS": "0"}
TITLE = re.compile(r"^🌟 In de spotlight deze week: @(\w+)")
WELCOMED = """join bob
bob dm: Utrecht
bob picks 2 Vogels
bob picks 3 3
bob dm: overslaan
bob picks 1 Ik ga akkoord
bob picks 5 Ja, stel me voor
join carla
carla dm: Leiden
carla picks 10 Planten
carla picks 11 3
carla dm: Meer weten over stadsnatuur
carla picks 13 Nee, liever niet
carla picks 9 Ik ga akkoord
join anna
"""


def spotlights(out: list[dict]) -> dict[str, str]:
    found = {}
    for action in out:
        match = TITLE.match(action.get("text", ""))
        if action["action"] == "post" and match:
            found[match.group(1)] = action["text"]
    return found


async def test_welcome_answers_are_quoted_only_with_the_members_consent(
    console: ConsoleRun,
) -> None:
    console.env.update(QUIET)
    week = "bob: Goedemorgen, een ijsvogel!\ncarla: Mooi, ik zag er ook een\nwait 7d\n"
    out = await console.run(
        WELCOMED
        + 'anna: /spotlight nominate member:@carla reason:"Carla weet alles van planten"\n'
        + week
        + 'anna: /spotlight nominate member:@bob reason:"Bob telt elke vogel"\n'
        + week,
        start="2026-03-23T08:00:00+01:00",
    )
    posted = spotlights(out)
    assert set(posted) == {"bob", "carla"}
    # Bob said yes to his introduction: his public answer is quoted, the private one never.
    assert "Utrecht" in posted["bob"] and "overslaan" not in posted["bob"]
    # Carla declined the introduction: none of her welcome answers are in public.
    assert "Carla weet alles van planten" in posted["carla"]
    for answer in ("Leiden", "Planten", "Meer weten over stadsnatuur"):
        assert answer not in posted["carla"]


async def test_only_members_who_accepted_the_groundrules_are_picked(console: ConsoleRun) -> None:
    console.env.update(QUIET)
    out = await console.run(
        "join anna\njoin bob\njoin dave\nbob picks 2 Ik ga akkoord\n"
        + 'anna: /spotlight nominate member:@dave reason:"Dave helpt iedereen"\n'
        + "bob: Goedemorgen!\ndave: Hallo allemaal, ik ben nieuw\n"
        + "wait 7d\nbob: Weer een mooie dag\ndave: Zeker!\nwait 7d\n",
        start="2026-03-23T08:00:00+01:00",
    )
    picked = [TITLE.match(a["text"]) for a in out if a["action"] == "post"]
    names = [m.group(1) for m in picked if m]
    # Dave is nominated and active, but never accepted the rules the community requires.
    assert names == ["bob"]
    once_accepted = await console.run(
        "dave picks 3 Ik ga akkoord\nwait 7d\n", start="2026-04-06T08:00:00+02:00"
    )
    assert list(spotlights(once_accepted)) == ["dave"]
