"""What recognition asks of storage. storage/recognition.py implements it (SQLAlchemy Core)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

ContributionRow = tuple[str, str, str | None, datetime, int, str | None, int, date]
"""(member_id, kind, channel, at, length, ref, points, local_day) - never any text."""

ADJUSTMENT = "adjustment"
"""The `kind` under which manager grants/revocations appear in contribution_daily."""


@dataclass(frozen=True)
class KindStats:
    count: int
    points: int


@dataclass(frozen=True)
class LevelState:
    member_id: str
    level: int
    announced: int
    changed_at: datetime
    role: str | None


@dataclass(frozen=True)
class Ranked:
    member_id: str
    name: str | None
    points: int


@dataclass(frozen=True)
class KudosRecord:
    giver_id: str
    receiver_id: str
    reason: str | None
    at: datetime


class KudosRefused(Exception):
    """The kudos was not stored: `why` is "quota" or "pair_cooldown"."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class SeasonStore(Protocol):
    """Season boards from the daily aggregates, and the once-only claim of a season's post."""

    async def season_top(self, start: date, end: date, limit: int) -> list[Ranked]: ...

    async def season_rank(
        self, member_id: str, start: date, end: date
    ) -> tuple[int, int] | None: ...

    async def season_kind_counts(
        self, kind: str, start: date, end: date, limit: int
    ) -> list[Ranked]: ...

    async def season_newcomer_thanks(
        self, since: datetime, until: datetime, window: timedelta, limit: int
    ) -> list[Ranked]: ...

    async def claim_season_post(self, season: str, at: datetime) -> bool:
        """True for the first caller per season, ever (a unique row)."""


class RecognitionStore(SeasonStore, Protocol):
    async def record(self, rows: Sequence[ContributionRow]) -> None:
        """Insert raw events and update the daily and period aggregates in one transaction."""

    async def counted_messages(
        self, member_id: str, refs: Collection[str], since: datetime
    ) -> set[str]:
        """Which of `refs` are stored as this member's messages or replies since `since`."""

    async def record_once(
        self, event_id: str, rows: Sequence[ContributionRow], at: datetime
    ) -> bool:
        """`record` keyed by the event that caused the rows, in one transaction: False (and
        nothing written) when that event's rows were stored before (an inbox replay)."""

    async def add_kudos(
        self,
        *,
        giver_id: str,
        receiver_id: str,
        reason: str | None,
        channel: str | None,
        row: ContributionRow,
        quota_since: datetime,
        quota: int,
        pair_since: datetime,
    ) -> None:
        """Check the giver's quota and the pair cooldown and store the kudos with its
        kudos_received contribution, all in one transaction; raise KudosRefused otherwise.
        `reason` is None for thanks in plain words (the message text is never stored)."""

    async def adjust(
        self, *, member_id: str, amount: int, reason: str, by: str, at: datetime, day: date
    ) -> None: ...

    async def window_stats(
        self, member_ids: Iterable[str], since: date
    ) -> dict[str, dict[str, KindStats]]: ...

    async def last_active(self, member_ids: Iterable[str]) -> dict[str, date]: ...

    async def level_states(self, member_ids: Iterable[str]) -> dict[str, LevelState]: ...

    async def raise_levels(
        self, promotions: Sequence[tuple[str, int, str | None]], at: datetime
    ) -> dict[str, LevelState]:
        """Raise each (member, level, role) whose stored level is lower, in one transaction;
        return the previous state of those raised (a fresh state for members without a row)."""

    async def lower_level(
        self, member_id: str, from_level: int, level: int, at: datetime, role: str | None
    ) -> bool: ...

    async def demotion_candidates(self, changed_before: datetime) -> list[LevelState]: ...

    async def period_points(self, member_id: str, periods: Sequence[str]) -> dict[str, int]: ...

    async def top(self, period: str, limit: int) -> list[Ranked]: ...

    async def rank(self, member_id: str, period: str) -> tuple[int, int] | None:
        """(rank, points) of the member in the period, or None without points there."""

    async def kudos_received(self, member_id: str, limit: int) -> tuple[int, list[KudosRecord]]: ...

    async def active_kinds(self, since: date) -> dict[str, set[str]]: ...

    async def delete_raw_before(self, cutoff: datetime, batch: int = 50_000) -> int: ...

    async def prune_periods(self, keep: Sequence[str]) -> int:
        """Delete week/month totals whose period is not in `keep` ("all" always stays)."""

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...
