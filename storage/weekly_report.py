"""The report feature's storage: one claim per report period (across restarts and processes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String, Table, insert
from sqlalchemy.exc import IntegrityError

from bot.features.report.facts import CommunityFacts
from storage.db import Database
from storage.report import SqlCommunityFacts
from storage.schema import UtcDateTime, metadata

report_runs = Table(
    "report_runs",
    metadata,
    Column("period_key", String(40), primary_key=True),
    Column("posted_at", UtcDateTime, nullable=False),
)


class SqlReportStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.facts: CommunityFacts = SqlCommunityFacts(db)

    async def claim(self, period_key: str, at: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(insert(report_runs).values(period_key=period_key, posted_at=at))
        except IntegrityError:
            return False
        return True


def make_store(db: Database) -> SqlReportStore:
    return SqlReportStore(db)
