"""The Alembic migrations build exactly the tables the code declares (no drift).

A fresh database upgraded by `Database.migrate` (what `plein db upgrade` and startup run) is
compared with the table metadata by Alembic's autogenerate: tables, columns, types, nullability,
server defaults, indexes, unique constraints and foreign keys. A difference means a migration is
missing: add the next numbered one rather than loosening this test.
Runs on SQLite and on PostgreSQL (tests/conftest.py: the `backend` parameter).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Integer, MetaData, String, Table

import storage.tables  # noqa: F401  (every table on the metadata, as the migrations' env does)
from storage.db import Database, alembic_config
from storage.schema import metadata

COMPARE_OPTIONS = {"compare_type": True, "compare_server_default": True}


def differences(connection: Connection, target: MetaData) -> list[Any]:
    context = MigrationContext.configure(connection, opts=COMPARE_OPTIONS)
    return list(compare_metadata(context, target))


@pytest.fixture
async def migrated(empty_storage_url: str) -> AsyncIterator[Database]:
    """A fresh, empty database (SQLite file or PostgreSQL) upgraded to the newest migration."""
    db = Database.from_url(empty_storage_url)
    try:
        await db.migrate()
        yield db
    finally:
        await db.close()


async def test_the_migrations_build_exactly_the_declared_tables(migrated: Database) -> None:
    async with migrated.connect() as conn:
        drift = await conn.run_sync(differences, metadata)
    assert drift == []


async def test_a_fresh_database_is_at_the_newest_migration(migrated: Database) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    assert await migrated.current_revision() == head


async def test_the_comparison_sees_a_table_or_column_no_migration_made(tmp_path: Path) -> None:
    """The drift check can fail: declare what no migration creates and it is reported."""
    declared = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(declared)
    Table("unmigrated", declared, Column("id", Integer, primary_key=True))
    declared.tables["members"].append_column(Column("nickname", String(50), nullable=True))
    db = Database.from_url(f"sqlite:///{tmp_path / 'plein.db'}")
    try:
        await db.migrate()
        async with db.connect() as conn:
            drift = await conn.run_sync(differences, declared)
    finally:
        await db.close()
    kinds = sorted(diff[0] for diff in drift)
    assert kinds == ["add_column", "add_table"]
