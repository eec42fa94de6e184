"""The member sync on the console: Plein starts in a community that already has members."""

from __future__ import annotations

import logging

import pytest

from tests.support import ConsoleRun, texts


def quiet(console: ConsoleRun) -> None:
    for section in ("CALENDAR", "POLLS"):
        console.env[f"PLEIN_{section}__ENABLED"] = "false"


EXISTING = "members anna bob:400d carla:30d dave eva"


async def test_first_start_in_an_existing_community_welcomes_nobody_and_counts_everyone(
    console: ConsoleRun, caplog: pytest.LogCaptureFixture
) -> None:
    quiet(console)
    caplog.set_level(logging.INFO, logger="plein.members")
    script = f"{EXISTING}\nbob: al jaren lid, nog steeds blij\nwait 1h\nanna: /report\nanna: /spotlight now"
    out = await console.run(script)
    assert [a for a in out if a["action"] == "dm" and "Welkom bij" in a["text"]] == []
    report = next(t for t in texts(out, "dm", "anna") if "Leden:" in t)
    assert "Leden: 5 (0 nieuw)" in report
    [spotlight] = [a for a in out if a["action"] == "post" and "spotlight deze week" in a["text"]]
    assert (
        "In de spotlight deze week: @bob" in spotlight["text"]
    )  # here since before Plein, active: the one candidate
    assert "sync: 5 present (first sync: all here since before Plein)" in caplog.messages


async def test_after_downtime_only_the_recent_joiner_is_welcomed_and_the_leaver_left(
    console: ConsoleRun, caplog: pytest.LogCaptureFixture
) -> None:
    quiet(console)
    await console.run(EXISTING)
    caplog.set_level(logging.INFO, logger="plein.members")
    # Down for three days: frank joined 2h ago, gerda 2d ago (beyond the 24h window), eva left.
    out = await console.run(
        "members anna bob:400d carla:30d dave frank:2h gerda:2d\nanna: /report",
        start="2026-03-26T09:00:00+01:00",
    )
    welcomed = {a["member"] for a in out if a["action"] == "dm" and "Welkom bij" in a["text"]}
    assert welcomed == {"frank"}
    report = next(t for t in texts(out, "dm", "anna") if "Leden:" in t)
    assert "Leden: 6 (2 nieuw)" in report
    assert "sync: 6 present, 2 joined while offline (1 welcomed), 1 left" in caplog.messages
    # A second look at the same list changes nothing: nobody welcomed twice, nobody left twice.
    again = await console.run(
        "members anna bob carla dave frank gerda", start="2026-03-26T10:00:00+01:00"
    )
    assert [a for a in again if a["action"] == "dm" and "Welkom" in a["text"]] == []


def test_a_members_line_needs_names_and_says_what_is_wrong() -> None:
    from adapters.console.script import Members, ScriptError, parse_line

    assert parse_line("members anna bob:3d") == Members(
        (("anna", None), ("bob", parse_line("wait 3d").duration))  # type: ignore[union-attr]
    )
    for bad in ("members", "members anna bob:soon", "members <script>"):
        with pytest.raises(ScriptError):
            parse_line(bad)
