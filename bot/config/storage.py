from __future__ import annotations

from bot.config.base import Section


class StorageConfig(Section):
    url: str = "sqlite:///plein.db"
    """SQLAlchemy URL. sqlite:///FILE (relative to the working directory) or postgresql://..."""
