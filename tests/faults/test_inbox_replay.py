"""Processing one inbox row is idempotent: a crash between the effect and the processed mark
does not count a message twice.

The crash is reproduced in the database, as it would be left: the message's contribution row
is committed, its inbox row still unprocessed with its payload (Plein died in the milliseconds
between the writer's commit and the mark's). A second message died one step earlier (its row
unprocessed, its contribution never written). After the restart both are handed back from the
inbox: the first is not counted again, the second is counted once.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun
from tests.fakes.slack import payloads as p

CHANNEL = "C0ALGEMEEN"
RESTART = "2026-03-23T08:05:00+01:00"


def counts(db_file: Path) -> dict[str, int]:
    with sqlite3.connect(db_file) as db:
        return dict(
            db.execute(
                "SELECT ref, count(*) FROM contributions WHERE kind IN ('message', 'reply') "
                "GROUP BY ref"
            ).fetchall()
        )


def daily_messages(db_file: Path, member: str) -> int:
    with sqlite3.connect(db_file) as db:
        row = db.execute(
            "SELECT sum(count) FROM contribution_daily WHERE member_id = ? AND kind = 'message'",
            (member,),
        ).fetchone()
    return int(row[0] or 0)


async def test_a_row_replayed_after_its_effect_was_stored_counts_once(tmp_path: Path) -> None:
    db_file = tmp_path / "plein.db"
    first = await SlackRun(tmp_path).start()
    # History: the community talks, then Carol's two messages are the ones caught by the crash.
    await first.event(p.message(ANNA, CHANNEL, "goedemorgen allemaal", "1711180000.000100"))
    await first.event(p.message(BERT, CHANNEL, "morgen Anna, koffie?", "1711180000.000200"))
    stored = p.message(CAROL, CHANNEL, "ik neem taart mee", "1711180000.000300", event_id="EvC1")
    lost = p.message(CAROL, CHANNEL, "en slagroom natuurlijk", "1711180000.000400", event_id="EvC2")
    await first.event(stored)
    await first.event(lost)
    await first.stop()
    carol = f"slack:{CAROL}"
    assert daily_messages(db_file, carol) == 2

    with sqlite3.connect(db_file) as db:  # what a SIGKILL in the crash window leaves behind
        for event_id, body in (("EvC1", stored), ("EvC2", lost)):
            db.execute(
                "UPDATE inbox SET processed_at = NULL, payload = ? WHERE event_id = ?",
                (json.dumps(body), event_id),
            )
        db.execute("DELETE FROM contributions WHERE ref = ?", (f"{CHANNEL}/1711180000.000400",))
        db.execute(
            "UPDATE contribution_daily SET count = count - 1 WHERE member_id = ? AND "
            "kind = 'message'",
            (carol,),
        )
    assert daily_messages(db_file, carol) == 1

    again = await SlackRun(tmp_path).start(RESTART)
    await again.settle()
    await again.stop()

    after = counts(db_file)
    assert after[f"{CHANNEL}/1711180000.000300"] == 1, "the stored effect was not repeated"
    assert after[f"{CHANNEL}/1711180000.000400"] == 1, "the lost effect was redone once"
    assert daily_messages(db_file, carol) == 2
    assert daily_messages(db_file, f"slack:{ANNA}") == 1
    with sqlite3.connect(db_file) as db:
        unprocessed = db.execute("SELECT count(*) FROM inbox WHERE processed_at IS NULL")
        assert unprocessed.fetchone() == (0,)
