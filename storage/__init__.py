"""Persistence: SQLAlchemy 2 async tables, Alembic migrations, and the stores the core's ports ask for."""

from storage.db import Database, normalize_url

__all__ = ["Database", "normalize_url"]
