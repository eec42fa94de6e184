from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.config.base import Duration, Section

MIN_BACKUP_EVERY = timedelta(minutes=5)


class StorageConfig(Section):
    url: str = "sqlite:///plein.db"
    """SQLAlchemy URL. sqlite:///FILE (relative to the working directory) or postgresql://..."""
    backup_every: Duration | None = None
    """SQLite: write an integrity-checked online backup this often ("1d"); None: no backups."""
    backup_keep: int = Field(default=14, ge=1, le=10_000)
    """How many scheduled backups to keep; the oldest beyond this are removed."""
    backup_dir: str = "backups"
    """Where scheduled backups go (relative to the working directory)."""

    @field_validator("backup_every")
    @classmethod
    def _often_enough_apart(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < MIN_BACKUP_EVERY:
            raise ValueError("backups at most every 5m; use a duration like '6h' or '1d'")
        return value
