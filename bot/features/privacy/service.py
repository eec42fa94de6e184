"""Export and erase everything Plein stores about one member, by walking every feature's
PersonalDataProvider; erase members who left after the configured retention period."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.features.privacy.ports import PrivacyStore
from bot.kit import Kit

log = logging.getLogger("plein.privacy")

SELF = "self"
RETENTION = "retention"


@dataclass(frozen=True)
class ErasureResult:
    subject_hash: str
    erased: tuple[str, ...]
    failed: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.failed


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _has_content(value: Any) -> bool:
    """False for None and for containers holding only empty containers and None."""
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_content(v) for v in value)
    return value is not None


class PrivacyService:
    def __init__(self, kit: Kit, store: PrivacyStore) -> None:
        self.kit = kit
        self.store = store

    async def export_member(self, member_id: str) -> dict[str, Any]:
        """Everything stored about this member: their registry row and every provider's part."""
        await self.kit.lifecycle.flush()
        info = await self.kit.members.get(member_id)
        member = None
        if info is not None:
            member = {
                "id": info.id,
                "name": info.name,
                "first_joined_at": info.first_joined_at,
                "joined_at": info.joined_at,
                "left_at": info.left_at,
                "join_count": info.join_count,
            }
        data: dict[str, Any] = {}
        for name, provider in sorted(self.kit.personal_data.providers().items()):
            try:
                part = await provider.export_member(member_id)
            except Exception:
                log.exception("personal data export failed", extra={"provider": name})
                part = {"error": "export failed"}
            if _has_content(part):
                data[name] = part
        audit = await self.store.audit_by(member_id)
        if audit:
            data["privacy_audit"] = {"erasures_you_performed": audit}
        export: dict[str, Any] = _jsonable(
            {
                "community": self.kit.config.community.name,
                "exported_at": self.kit.clock.now(),
                "member_id": member_id,
                "member": member,
                "data": data,
            }
        )
        return export

    def export_json(self, export: dict[str, Any]) -> bytes:
        return json.dumps(export, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")

    async def forget(self, member_id: str, *, actor: str, present: bool = True) -> ErasureResult:
        """Erase via every provider, then the registry row (leaving only a hashed tombstone).

        Batched writers are flushed first, so nothing buffered about the member lands afterwards.
        """
        await self.kit.lifecycle.flush()
        erased: list[str] = []
        failed: list[str] = []
        for name, provider in sorted(self.kit.personal_data.providers().items()):
            try:
                await provider.erase_member(member_id)
                erased.append(name)
            except Exception:
                log.exception("personal data erase failed", extra={"provider": name})
                failed.append(name)
        action = "forget" if not failed else "forget_partial"
        detail = "providers=" + ",".join(erased)
        if failed:
            detail += " failed=" + ",".join(failed)
        digest = await self.store.forget_member(
            member_id,
            self.kit.clock.now(),
            actor=actor,
            action=action,
            detail=detail,
            present=present,
        )
        log.info(
            "member data erased",
            extra={"subject": digest[:12], "actor": actor, "providers": len(erased)},
        )
        return ErasureResult(digest, tuple(erased), tuple(failed))

    # ---- retention for members who left -------------------------------------------------------

    async def next_retention_due(self) -> datetime | None:
        window = self.kit.config.privacy.erase_after_leaving
        if window is None:
            return None
        earliest = await self.store.earliest_departure()
        return earliest + window if earliest is not None else None

    async def run_retention(self, now: datetime) -> None:
        window = self.kit.config.privacy.erase_after_leaving
        if window is None:
            return
        while True:
            due = await self.store.departed_before(now - window)
            if not due:
                return
            for member_id in due:
                await self.forget(member_id, actor=RETENTION, present=False)
