"""A page's figures as of one moment (snapshots.py serves them, stored.py keeps them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Snapshot:
    data: object
    as_of: datetime
    mark: str = ""
    """The privacy mark the figures were computed under."""
