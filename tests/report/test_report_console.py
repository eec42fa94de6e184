"""The weekly report in the managers' channel, /report on demand, /report export as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import text

from storage.db import Database
from tests.support import ConsoleRun, texts


def read(path: str) -> bytes:
    return Path(path).read_bytes()


async def test_weekly_report_with_goals_chart_and_export(console: ConsoleRun) -> None:
    script = "\n".join(
        [
            "join anna",
            "join bob",
            "join carla",
            "join dave",
            "bob: hallo allemaal, ik ben nieuw hier en hou van vogels",
            "carla replies 5: welkom bob! kom zaterdag mee wandelen",
            "wait 7d",
            "anna: /report period:month",
            "anna: /report export",
            "bob: /report",
        ]
    )
    actions = await console.run(script)
    weekly = [
        a
        for a in actions
        if a["action"] == "post" and a.get("channel") == "bestuur" and "Weekrapport" in a["text"]
    ]
    assert len(weekly) == 2  # Mon 23 Mar (start day, 09:00) and Mon 30 Mar
    report = weekly[-1]["text"]
    assert "Leden: 4 (4 nieuw)" in report
    assert "Actieve leden: 2 (50% van alle leden)" in report
    assert "90-9-1: alleen lezen 50%" in report
    assert "⚠️ Elke week nieuwe leden: 4 van 5 per week - achter" in report
    assert "✅ Een derde van de leden is actief: 50% van 33% per week - op koers" in report
    assert read(weekly[-1]["files"][0])[:8] == b"\x89PNG\r\n\x1a\n"

    anna = [a for a in actions if a["action"] == "dm" and a.get("member") == "anna"]
    monthly = next(a for a in anna if "Maandrapport" in a["text"])
    assert monthly["files"][0].endswith(".png")
    export = next(a for a in anna if a.get("files", [""])[0].endswith(".csv"))
    rows = list(csv.DictReader(io.StringIO(read(export["files"][0]).decode())))
    assert len(rows) == 12 and rows[-1]["active_members"] == "2" and rows[-1]["members"] == "4"
    assert "Alleen communitybeheerders" in texts(actions, "dm", "bob")[-1]

    # Another process (or a restart with a clock behind) firing the same Monday: claimed once.
    again = await console.run("wait 5m", start="2026-03-30T08:58:00+02:00")
    assert not [a for a in again if "Weekrapport" in a.get("text", "")]


async def test_report_on_a_table_it_cannot_read_answers_with_the_error(console: ConsoleRun) -> None:
    """/report reads its figures and draws its chart at once: a table it cannot read is still
    the managers' clear error, not a crash or a report of zeros."""
    await console.run("join anna\nanna: hallo allemaal")
    db = Database.from_url(console.url)
    try:
        async with db.begin() as conn:
            await conn.execute(
                text("ALTER TABLE contribution_week_counts RENAME COLUMN members TO kapot")
            )
    finally:
        await db.close()
    actions = await console.run("anna: /report")
    replies = texts(actions, "dm", "anna")
    # the report's own error, or (a failing query is a storage fault too) the storage one
    assert len(replies) == 1 and "Leden:" not in replies[0], replies
    assert "rapport" in replies[0] or "opslaan" in replies[0], replies
