"""SQLite statements take one round trip to the connection's thread (storage/fused_sqlite.py),
and SQLAlchemy sees the same results as with aiosqlite's own cursors: rows, row counts, the last
row id, executemany, RETURNING, errors and rollbacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import Database

meta = MetaData()
notes = Table(
    "notes",
    meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("who", String, nullable=False, unique=True),
)


async def database(tmp_path: Path) -> Database:
    db = Database.from_url(f"sqlite:///{tmp_path / 'fused.db'}")
    async with db.begin() as conn:
        await conn.run_sync(meta.create_all)
    return db


@pytest.mark.sqlite_file  # the SQLite driver's thread is the subject
async def test_a_select_is_one_round_trip(tmp_path: Path) -> None:
    db = await database(tmp_path)
    async with db.connect() as conn:
        driver: Any = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
        trips: list[Any] = []
        to_thread = driver._execute  # aiosqlite: every call handed to the connection's thread

        async def counted_trip(fn: Any, *args: Any, **kwargs: Any) -> Any:
            trips.append(fn)
            return await to_thread(fn, *args, **kwargs)

        await conn.execute(select(notes.c.id))  # the transaction's BEGIN is a trip of its own
        driver._execute = counted_trip
        for _ in range(10):
            rows = (await conn.execute(select(notes.c.id, notes.c.who))).all()
        counted = len(trips)
        del driver._execute
    assert rows == []
    await db.close()
    assert counted == 10, f"{counted} round trips for 10 selects (aiosqlite's own cursors: 40)"


@pytest.mark.sqlite_file
async def test_results_counts_and_errors_are_those_of_sqlite(tmp_path: Path) -> None:
    db = await database(tmp_path)
    async with db.begin() as conn:
        first = await conn.execute(insert(notes).values(who="ada"))
        assert first.inserted_primary_key == (1,)
        await conn.execute(insert(notes), [{"who": "bert"}, {"who": "cas"}, {"who": "dirk"}])
        changed = await conn.execute(update(notes).where(notes.c.id > 2).values(who=notes.c.who))
        assert changed.rowcount == 2
        returned = await conn.execute(
            insert(notes).values(who="eva").returning(notes.c.id, notes.c.who)
        )
        assert returned.all() == [(5, "eva")]
    with pytest.raises(IntegrityError):
        async with db.begin() as conn:
            await conn.execute(insert(notes).values(who="fien"))
            await conn.execute(insert(notes).values(who="ada"))  # unique: the whole lot undone
    async with db.connect() as conn:
        result = await conn.execute(select(notes.c.who).order_by(notes.c.id))
        assert result.fetchone() == ("ada",)
        assert result.fetchmany(2) == [("bert",), ("cas",)]
        assert result.scalars().all() == ["dirk", "eva"]
    await db.close()
