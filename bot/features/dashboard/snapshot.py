"""A page's figures as of one moment (snapshots.py serves them, stored.py keeps them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SERVED_AT_MOST = timedelta(days=1)
"""Figures older than this are not shown, held or stored, not even while newer ones are
computed: they would mislead more than a short "being computed" page."""


@dataclass(frozen=True)
class Snapshot:
    data: object
    as_of: datetime
    mark: str = ""
    """The privacy mark the figures were computed under."""
