"""The dashboard's "who is next" is the weekly job's pick: a community with history, an opt-out,
a member who never accepted the groundrules, a forgotten member, a nomination and recent
spotlights; each Thursday the preview is asked after a restart, and Friday's spotlight must be
that member (both backends)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.privacy.helpers import refs_with_choices
from tests.support import ConsoleRun

MEMBERS = ("bob", "carla", "dave", "eve", "femke", "gijs", "xandra")
TITLE = re.compile(r"^🌟 In de spotlight deze week: @(\w+)")
MONDAY = datetime.fromisoformat("2026-03-23T09:00:00+01:00")


def spotlighted(actions: list[dict]) -> list[str]:
    return [
        match.group(1)
        for action in actions
        if action["action"] == "post" and (match := TITLE.match(action.get("text", "")))
    ]


def week_of_talk(week: int) -> str:
    """Uneven activity: different members are loud or quiet each week (xandra the loudest)."""
    lines = []
    for i, name in enumerate(MEMBERS):
        for _ in range(1 + (i + week) % 3 + (5 if name == "xandra" else 0)):
            lines.append(f"{name}: goedemorgen, vandaag weer de natuur in!")
        if (i + week) % 2:
            lines.append(f"{name} replies 1: eens!")
    return "\n".join(lines)


async def test_the_preview_is_the_pick_the_weekly_job_makes(console: ConsoleRun) -> None:
    console.env.update(
        {
            "PLEIN_SPOTLIGHT__COOLDOWN_WEEKS": "2",
            "PLEIN_SPOTLIGHT__INTERVIEW": "false",
            "PLEIN_SPOTLIGHT__MISSION_EVERY_WEEKS": "0",
        }
    )
    joins = "\n".join(f"join {name}" for name in ("anna", *MEMBERS, "frank"))
    # welcome DMs are refs 1-9 in join order; frank never accepts the groundrules
    accepts = "\n".join(f"{name} picks {i + 2} Ik ga akkoord" for i, name in enumerate(MEMBERS))
    await console.run(
        f"{joins}\n{accepts}\neve: /spotlight optout\n{week_of_talk(0)}\nwait 7d",
        start=MONDAY - timedelta(days=14),
    )
    await console.run(
        f"{week_of_talk(1)}\nfrank: ik praat ook mee!\nwait 1d", start=MONDAY - timedelta(days=7)
    )
    out = await console.run("xandra: /privacy forget", start=MONDAY - timedelta(days=5))
    [ask] = refs_with_choices(out, "Ja, wissen")
    await console.run(f"xandra picks {ask} Ja, wissen", start=MONDAY - timedelta(days=5))

    picks: list[str] = []
    for week in range(4):
        monday = MONDAY + timedelta(weeks=week)
        nominate = 'bob: /spotlight nominate member:@femke reason:"Femke weet alles"'
        talk = week_of_talk(week + 2) + (f"\n{nominate}" if week == 2 else "")
        await console.run(f"{talk}\nwait 3d", start=monday)
        thursday = monday + timedelta(days=3, hours=3)
        plein, _, _ = await console.start(thursday)
        try:
            upcoming = await plein.features["spotlight"].spotlight.upcoming(thursday)
        finally:
            await plein.close()
        posted = spotlighted(await console.run("wait 1d", start=thursday))
        assert upcoming is not None
        assert posted == [upcoming[0].removeprefix("console:")], (week, upcoming, posted)
        picks += posted

    assert len(picks) == 4
    assert picks[2] == "femke"  # nominated
    assert not {"eve", "frank", "xandra", "anna"} & set(picks)  # opt-out, rules, forgotten, manager
    for i, name in enumerate(picks):
        assert name not in picks[i + 1 : i + 2], picks  # the cooldown
