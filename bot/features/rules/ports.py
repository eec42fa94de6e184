"""What the groundrules feature asks of storage. storage/rules.py implements it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class ProposalStatus(StrEnum):
    OPEN = "open"
    ADOPTED = "adopted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Proposal:
    id: int
    text: str
    proposed_by: str | None
    proposed_at: datetime
    poll_id: int | None
    status: ProposalStatus
    version: int | None = None
    decided_at: datetime | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Asked:
    member_id: str
    version: int


class RulesStore(Protocol):
    async def propose(self, text: str, by: str, at: datetime) -> Proposal: ...

    async def set_poll(self, proposal_id: int, poll_id: int) -> None: ...

    async def get(self, proposal_id: int) -> Proposal | None: ...

    async def adopted(self) -> list[Proposal]:
        """Adopted rules in version order."""

    async def open_proposals(self) -> list[Proposal]: ...

    async def adopt(
        self, proposal_id: int, by: str, reason: str | None, at: datetime
    ) -> int | None:
        """Mark an open proposal adopted with the next version number (2, 3, ...; version 1 is
        the configured rules), in one transaction; None when it was decided before."""

    async def reject(self, proposal_id: int, by: str, reason: str, at: datetime) -> bool: ...

    async def ask_reacceptance(self, version: int) -> int:
        """Queue version `version` for every present member who accepted the groundrules."""

    async def claim_asks(self, limit: int, at: datetime) -> list[Asked]:
        """Claim queued asks not yet sent (each once, across processes)."""

    async def has_unsent_asks(self) -> bool: ...

    async def accept_version(self, member_id: str, version: int, at: datetime) -> bool:
        """Record acceptance of `version` (and every earlier one asked); False if already."""

    async def not_reaccepted(self, version: int) -> list[str]: ...

    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...


def versions(adopted: Sequence[Proposal]) -> int:
    """The current version of the groundrules: 1 for the configured rules, +1 per adoption."""
    return max((p.version or 1 for p in adopted), default=1)
