"""The member registry port: who is in the community, since when, and how often they came back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


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


class MemberStore(Protocol):
    async def record_join(
        self, member_id: str, name: str, is_bot: bool, at: datetime
    ) -> JoinRecord: ...

    async def record_leave(self, member_id: str, at: datetime) -> None: ...

    async def ensure(self, member_id: str, name: str, is_bot: bool, at: datetime) -> None: ...

    async def get(self, member_id: str) -> MemberInfo | None: ...

    async def find_by_name(self, name: str) -> MemberInfo | None: ...

    async def count_present(self) -> int: ...
