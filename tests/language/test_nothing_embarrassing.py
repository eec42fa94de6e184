"""Issue 15: a member's first small step on the ladder is not announced in public."""

from __future__ import annotations

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
