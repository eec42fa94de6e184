"""A spotlight missed while Plein was down goes out once when it is back within a day."""

from __future__ import annotations

from tests.support import ConsoleRun


def spotlights(out: list[dict]) -> list[dict]:
    return [a for a in out if a["action"] == "post" and "🌟" in a["text"]]


async def test_missed_spotlight_is_posted_once_after_a_restart(console: ConsoleRun) -> None:
    console.env["PLEIN_SPOTLIGHT__INTERVIEW"] = "false"
    await console.run(
        "join bram\njoin carla\nbram picks 1 Ik ga akkoord\ncarla picks 2 Ik ga akkoord\n"
        "bram: Goedemorgen!\ncarla replies 5: Mooi gezien",
        start="2026-03-23T08:00:00+01:00",
    )
    # Down from Monday until Saturday 08:00: Friday 10:00 was missed.
    first = await console.run("", start="2026-03-28T08:00:00+01:00")
    again = await console.run("", start="2026-03-28T09:00:00+01:00")
    assert len(spotlights(first)) == 1
    assert spotlights(again) == []
