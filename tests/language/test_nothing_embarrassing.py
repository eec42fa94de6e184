"""Issue 15: nothing embarrassing in public: a first small step on the ladder, a poll nobody voted on."""

from __future__ import annotations

from tests.polls.conftest import QUIET as POLLS_ONLY
from tests.recognition.helpers import config_with, rungs
from tests.support import ConsoleRun, texts

LADDER = rungs(("Lezer", 0, None), ("Meedenker", 2, None), ("Trekker", 4, None))
FOUR_MESSAGES = "join anna\njoin bob\n" + "".join(
    f"bob: Bericht nummer {i} over de vogeltelling\nwait 61s\n" for i in range(4)
)


def climbed(lines: list[str]) -> list[str]:
    return [t.split(" (")[0] for t in lines if "gestegen naar" in t]


async def test_the_first_rung_is_told_privately_and_the_third_in_public(
    console: ConsoleRun,
) -> None:
    console.config_text = config_with("", LADDER)
    out = await console.run(FOUR_MESSAGES)
    assert climbed(texts(out, "dm", "bob")) == ["🎉 @bob is gestegen naar Meedenker"]
    assert climbed(texts(out, "post")) == ["🎉 @bob is gestegen naar Trekker"]


async def test_announce_from_names_the_first_public_rung(console: ConsoleRun) -> None:
    console.config_text = config_with('announce_from = "Meedenker"', LADDER)
    out = await console.run(FOUR_MESSAGES)
    assert climbed(texts(out, "post")) == [
        "🎉 @bob is gestegen naar Meedenker",
        "🎉 @bob is gestegen naar Trekker",
    ]


async def test_a_poll_and_a_stelling_nobody_voted_on_close_with_one_short_line(
    console: ConsoleRun,
) -> None:
    console.env = dict(POLLS_ONLY)
    out = await console.run(
        "join anna\njoin bob\njoin carla\n"
        + 'anna: /poll "Welke dag past?" Ma Di\n'
        + "bob picks #1 Ma\n"
        + 'anna: /poll "Waar picknicken we?" Park Bos\n'
        + "anna: /stelling Honden horen aan de lijn\n"
        + "wait 14d\n"
    )
    public = [a for a in out if a["action"] in ("post", "update")]
    unanswered = {
        2: "📊 Poll #2 is gesloten zonder stemmen: Waar picknicken we?",
        3: "💬 Stelling #3 is gesloten zonder stemmen: Honden horen aan de lijn",
    }
    for poll_id, line in unanswered.items():
        at_close = [a for a in public if "gesloten" in a["text"] and f"#{poll_id}" in a["text"]]
        assert [(a["action"], a["text"]) for a in at_close] == [("update", line)]
        assert at_close[0]["choices"] == []
    # A poll that did get votes still gets its result posted once, chart and all.
    first = [a for a in public if a["text"].startswith("📊 Poll #1 is gesloten")]
    assert [a["action"] for a in first] == ["update", "post"]
    assert "Ma ██████████ 1 (100%)" in first[1]["text"]
