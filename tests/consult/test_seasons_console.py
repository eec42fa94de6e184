"""Seasons on the console: /top shows the season by default, /top all the all-time board, and the
season's recognition is posted once on its last day - after a restart too, and not again."""

from __future__ import annotations

from tests.recognition.helpers import config_with
from tests.support import ConsoleRun, texts

SETUP = "join anna\njoin bob\njoin carla\n"
# A community with history: points from before this quarter count all-time, not this season.
BEFORE = "2025-12-20T10:00:00+01:00"
SEASON_START = "2026-03-23T08:00:00+01:00"


def season_posts(out: list[dict]) -> list[str]:
    return [t for t in texts(out, "post") if "zit erop" in t]


async def test_top_shows_the_season_and_the_recognition_is_posted_once(
    console: ConsoleRun,
) -> None:
    console.config_text = config_with('season = "quarter"')
    await console.run(SETUP + "carla: Een lang bericht van vorig jaar over vogels\n", start=BEFORE)
    out = await console.run(
        "bob: Wie gaat er zaterdag mee naar de heide?\n"
        + "wait 61s\n"
        + "bob replies 5: Ik neem de thermoskan mee voor iedereen\n"
        + "anna: Bedankt @bob voor het regelen!\n"
        + 'carla: /kudos @bob "de kaart van de route"\n'
        + "anna: /top\n"
        + "carla: /top alles\n",
        start=SEASON_START,
    )
    season_top, all_time = texts(out, "dm", "anna")[-1], texts(out, "dm", "carla")[-1]
    assert season_top.splitlines()[:2] == [
        "Meest actieve leden dit seizoen (1 jan t/m 31 mrt):",
        "1. bob - 13",
    ]
    assert "carla" not in season_top  # her points are from last season
    assert all_time.splitlines()[0] == "Meest actieve leden aller tijden:"
    assert "carla - 1" in all_time
    assert season_posts(out) == []

    # The bot is down over the post moment (31 March 18:00) and back on 1 April: caught up.
    out = await console.run("wait 1h\n", start="2026-04-01T09:00:00+02:00")
    [post] = season_posts(out)
    assert post.splitlines() == [
        "🌻 Het seizoen van 1 jan 2026 tot en met 31 mrt 2026 zit erop. Dank jullie wel, allemaal!",
        "Meeste punten: @bob (13), @anna (1)",
        "Meest bedankt: @bob (2×)",
        "Het nieuwe seizoen begint met een leeg bord; ieders trede op de ladder blijft "
        "gewoon staan.",
    ]
    # Restarts afterwards never post it again; the new season's board starts empty.
    again = await console.run("wait 2d\nanna: /top\n", start="2026-04-01T12:00:00+02:00")
    assert season_posts(again) == []
    assert texts(again, "dm", "anna")[-1].splitlines()[:2] == [
        "Meest actieve leden dit seizoen (1 apr t/m 30 jun):",
        "Nog niemand heeft punten in deze periode.",
    ]


async def test_posted_on_the_last_day_while_running(console: ConsoleRun) -> None:
    console.config_text = config_with('season = "month"\nseason_post_hour = 20')
    out = await console.run(
        SETUP + "anna: Een bericht dat lang genoeg is voor punten\nwait 9d\n",
        start=SEASON_START,
    )
    [post] = season_posts(out)
    assert post.startswith("🌻 Het seizoen van 1 mrt 2026 tot en met 31 mrt 2026 zit erop.")
    [moment] = [a["at"] for a in out if a["action"] == "post" and "zit erop" in a["text"]]
    assert moment.startswith("2026-03-31T18:00")  # 20:00 in Amsterdam (summer time)


async def test_seasons_off_keeps_the_week_board(console: ConsoleRun) -> None:
    out = await console.run(SETUP + "wait 10d\nanna: /top\nanna: /top seizoen\n")
    replies = texts(out, "dm", "anna")
    assert replies[-2].startswith("Meest actieve leden deze week:")
    assert "seizoen" in replies[-1] and "week" in replies[-1]  # not a choice: a usage answer
    assert season_posts(out) == []
