"""Demotion after inactivity: quiet, one rung at a time, at most once per `demote_after`."""

from __future__ import annotations

from tests.recognition.helpers import config_with, rungs
from tests.support import ConsoleRun, one_row, texts

CONFIG = config_with(
    'window = "30d"\ndemote_after = "30d"\nannounce_from = 1',
    rungs(("Lezer", 0, None), ("Meedenker", 2, "Meedenker"), ("Trekker", 4, "Trekker")),
)

ACTIVE = "".join(f"bob: Bericht {i} over de vogeltelling\nwait 61s\n" for i in range(4))


def roles(out: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(a["action"], a["role"]) for a in out if a["action"].startswith("role_")]


async def level(console: ConsoleRun) -> tuple[int, ...]:
    return await one_row(
        console.url, "SELECT level, announced FROM member_levels WHERE member_id = 'console:bob'"
    )


async def test_inactive_members_step_down_quietly_and_are_not_reannounced(
    console: ConsoleRun,
) -> None:
    console.config_text = CONFIG
    out = await console.run("join bob\n" + ACTIVE)
    assert await level(console) == (2, 2)
    assert len([t for t in texts(out, "post") if "is gestegen naar" in t]) == 2
    out = await console.run("wait 45d", start="2026-03-24T08:00:00+01:00")
    # One rung down after a month of silence, and the role swapped - no message at all.
    assert await level(console) == (1, 2)
    assert not [t for t in texts(out) if "bob" in t and "is gestegen naar" in t]
    assert roles(out) == [
        ("role_remove", "Trekker"),
        ("role_add", "Meedenker"),
    ]
    out = await console.run("wait 14d", start="2026-05-08T08:00:00+02:00")
    assert await level(console) == (1, 2) and roles(out) == []  # at most once per 30 days
    out = await console.run("wait 2d", start="2026-05-22T08:00:00+02:00")
    assert await level(console) == (0, 2)
    assert roles(out) == [("role_remove", "Meedenker")]
    # Climbing back: roles return, but a rung is announced only the first time.
    out = await console.run(ACTIVE, start="2026-06-09T08:00:00+02:00")
    assert await level(console) == (2, 2)
    assert not [t for t in texts(out, "post") if "is gestegen naar" in t]
    assert roles(out) == [
        ("role_add", "Meedenker"),
        ("role_remove", "Meedenker"),
        ("role_add", "Trekker"),
    ]
