"""The member registry port: who is in the community, since when, and how often they came back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.events import ListedMember


@dataclass(frozen=True)
class MemberInfo:
    id: str
    name: str
    is_bot: bool
    first_joined_at: datetime
    joined_at: datetime
    left_at: datetime | None
    join_count: int


@dataclass(frozen=True)
class JoinRecord:
    first_time: bool
    already_present: bool
    """The platform replayed a join for someone already here."""
    join_count: int


@dataclass(frozen=True)
class SyncRun:
    """One member sync, as the registry keeps it (a sequence number orders overlapping syncs)."""

    seq: int
    sync_id: str
    started_at: datetime
    first: bool
    """No sync finished before this one: everyone listed was here before Plein."""
    previous_at: datetime | None
    """When the last finished sync finished: the earliest a member unknown to it can have joined."""


@dataclass(frozen=True)
class SyncArrival:
    """A member a later sync found who is not in the registry as present: joined while offline."""

    member_id: str
    name: str
    joined_at: datetime
    first_time: bool
    join_count: int


class MemberSyncStore(Protocol):
    async def start_sync(self, sync_id: str, at: datetime) -> SyncRun:
        """Open (or find, for a batch after the first) the sync with this id."""

    async def sync_batch(
        self, run: SyncRun, batch: Sequence[ListedMember], at: datetime
    ) -> list[SyncArrival]:
        """Upsert one batch in one transaction; the arrivals are empty for a first sync."""

    async def gone_since(self, run: SyncRun) -> list[str]:
        """Present members no sync since `run` listed, who joined before it started."""

    async def finish_sync(self, run: SyncRun, at: datetime) -> None: ...


class MemberStore(MemberSyncStore, Protocol):
    async def record_join(
        self, member_id: str, name: str, is_bot: bool, at: datetime
    ) -> JoinRecord: ...

    async def record_leave(self, member_id: str, at: datetime) -> None: ...

    async def ensure(self, member_id: str, name: str, is_bot: bool, at: datetime) -> None: ...

    async def get(self, member_id: str) -> MemberInfo | None: ...

    async def find_by_name(self, name: str) -> MemberInfo | None: ...

    async def count_present(self) -> int: ...

    async def present_ids(self) -> list[str]:
        """The members here now (no bots): who a reminder or a 'not voted yet' list is about."""
