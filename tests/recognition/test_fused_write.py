"""SQLite writes a batch in one trip to the connection's thread (storage/recognition_fused.py):
what it stores equals what the portable Core path stores, in every table the write touches,
for new and known members, registered or not, written twice (upserts add up)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, insert

from storage.db import Database
from storage.members import members
from storage.recognition_writer import write_rows, write_rows_portable
from tests.recognition.test_writer_handover import batch, contents

REGISTERED = ("m0", "m3", "m7")


@pytest.mark.sqlite_file  # compares two SQLite files: the one-trip path is SQLite's own
async def test_the_one_trip_write_stores_what_the_core_path_stores(tmp_path: Path) -> None:
    joined = datetime(2026, 1, 5, tzinfo=UTC)
    found = []
    for name, writer in (("one_trip", write_rows), ("core", write_rows_portable)):
        url = f"sqlite:///{tmp_path / name}.db"
        db = Database.from_url(url)
        await db.migrate()
        async with db.begin() as conn:
            await conn.execute(
                insert(members),
                [
                    {"id": m, "name": m, "first_joined_at": joined, "joined_at": joined}
                    for m in REGISTERED
                ],
            )
        async with db.begin() as conn:
            await writer(conn, batch(120))
        async with db.begin() as conn:
            await writer(conn, batch(50, members=20))  # new members, and more days of known ones
            await writer(conn, batch(1))
        await db.close()
        found.append(await contents(url))
    one_trip, core = found
    assert one_trip == core
    assert one_trip["contribution_unregistered"], "strangers are noted"
    assert all(m not in str(one_trip["contribution_unregistered"]) for m in ("'m0'", "'m3'"))


@pytest.mark.sqlite_file
async def test_a_batch_is_one_trip_not_a_statement_each(tmp_path: Path) -> None:
    """No statement of the write goes through SQLAlchemy's cursor (each one a trip to the
    thread and a turn of the event loop): the whole batch is one call on the thread."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'plein.db'}")
    await db.migrate()
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        statements.append(sql)

    async with db.begin() as conn:
        event.listen(db.engine.sync_engine, "before_cursor_execute", seen)
        await write_rows(conn, batch(200))
        event.remove(db.engine.sync_engine, "before_cursor_execute", seen)
    await db.close()
    assert statements == []
