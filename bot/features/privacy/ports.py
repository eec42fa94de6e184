"""What the privacy feature asks of storage (implemented in storage/privacy.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class PrivacyStore(Protocol):
    async def forget_member(
        self, member_id: str, at: datetime, *, actor: str, action: str, detail: str, present: bool
    ) -> str:
        """Drop the member row, keep only a salted-hash tombstone, write the audit entry.
        Returns the tombstone hash."""

    async def departed_before(self, cutoff: datetime, limit: int = 500) -> list[str]: ...

    async def earliest_departure(self) -> datetime | None: ...

    async def audit_by(self, actor: str) -> list[dict[str, Any]]: ...
