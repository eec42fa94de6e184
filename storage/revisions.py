"""Where a database stands against the migrations this Plein ships: current, head, pending.

A database migrated by a newer Plein carries a revision this code does not know. Alembic would
fail on it with "Can't locate revision"; we refuse earlier, with a message that says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

# Alembic is imported inside the functions: loading it (and every migration script) costs more
# than the rest of start-up, and a current database needs none of it (storage/db.py migrate).

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@dataclass(frozen=True)
class RevisionStatus:
    current: str | None
    """The database's revision; None for an empty database."""
    head: str
    """The newest revision this Plein knows."""
    pending: tuple[str, ...]
    """Revisions a start (or `plein db upgrade`) would apply, oldest first."""
    known: bool
    """False when the database was migrated by a newer Plein."""

    @property
    def up_to_date(self) -> bool:
        return self.known and self.current == self.head


class DatabaseTooNew(RuntimeError):
    def __init__(self, current: str, head: str) -> None:
        super().__init__(
            f"the database is at revision {current}, which this version of Plein does not know "
            f"(its newest is {head}): a newer Plein has upgraded it. Plein does not downgrade a "
            "database: install the newer version again, or restore a backup made before the "
            "upgrade (see 'Upgrading' in the README)."
        )
        self.current = current
        self.head = head


def revision_status(connection: Connection) -> RevisionStatus:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "the migrations have no head"
    current = MigrationContext.configure(connection).get_current_revision()
    known_ids = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known_ids:
        return RevisionStatus(current, head, (), known=False)
    pending = [
        rev.revision for rev in script.iterate_revisions(head, current or "base") if rev.revision
    ]
    return RevisionStatus(current, head, tuple(reversed(pending)), known=True)


def refuse_newer(connection: Connection) -> None:
    status = revision_status(connection)
    if not status.known and status.current is not None:
        raise DatabaseTooNew(status.current, status.head)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}
