"""The port through which the report reads the health aggregates (storage/health_figures.py).

Every method reads aggregate tables only (asks with their first reply, pairs per week, active
hours per week, ladder snapshots, daily contributions); a failure raises, never reads as zero.
A Plein without the health feature has no such tables: `available` is then False and the report
leaves the health section out instead of reporting zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class AskRow:
    kind: str
    author_id: str
    asked_at: datetime
    answered_at: datetime | None
    newcomer: bool
    """The author was in their first `newcomer_days` (and not here before Plein) when asking."""


@dataclass(frozen=True)
class HelperCount:
    member_id: str
    newcomers: int
    """Distinct newcomers this member replied or reacted to."""
    touches: int
    """Replies plus reactions to newcomers."""


@dataclass(frozen=True)
class CohortRow:
    week: date
    """The local Monday of the join week."""
    size: int
    active_after: dict[int, int]
    """Weeks after joining (1, 4, 12) -> members of the cohort active in that week."""


class HealthFacts(Protocol):
    @property
    def available(self) -> bool:
        """The health tables are part of this Plein."""

    async def asks(self, since: datetime, until: datetime, newcomer_days: int) -> list[AskRow]:
        """Questions and first posts asked in [since, until); first posts only of members
        who were newcomers then."""

    async def two_way_members(self, first_week: date, last_week: date) -> int:
        """Members with at least one two-way connection (each replied to or reacted to the
        other) within one of the weeks [first_week, last_week]."""

    async def newcomer_helpers(
        self, first_week: date, last_week: date, newcomer_days: int, limit: int
    ) -> list[HelperCount]:
        """Who helped newcomers (replies and reactions to members in their first
        `newcomer_days`) in the weeks, most newcomers helped first."""

    async def newcomers_connected(
        self, since: datetime, until: datetime, tz: ZoneInfo
    ) -> tuple[int, int]:
        """(newcomers who joined in [since, until), of them connected two-way within their
        join week and the week after)."""

    async def cohorts(
        self, first_week: date, last_week: date, after: tuple[int, ...], tz: ZoneInfo
    ) -> list[CohortRow]:
        """Newcomers by local join week, and how many were active k weeks after, for k in
        `after` (only weeks that have begun by `last_week`)."""

    async def ladder_weeks(self, first_week: date, last_week: date) -> dict[date, dict[int, int]]:
        """Week -> rung (1-based above the first, as stored) -> members, from the snapshots."""

    async def ladder_moves(self, earlier: date, later: date) -> tuple[int, int]:
        """(promotions, demotions) between the snapshots of two weeks."""

    async def heatmap(self, first_week: date, last_week: date) -> dict[int, int]:
        """Hour-of-week slot (weekday * 24 + hour, local) -> active members, summed over the
        weeks."""

    async def first_data_day(self) -> date | None:
        """The first local day with any contribution or join (charts start there)."""
