"""Community roles members ask for and managers approve."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)

from bot.features.spotlight.ports import RoleClaim
from storage.db import Database
from storage.spotlight.tables import member_roles


class SqlRoleStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def request_role(self, member_id: str, role: str, at: datetime) -> str:
        async with self.db.begin() as conn:
            status = (
                await conn.execute(
                    select(member_roles.c.status).where(
                        member_roles.c.member_id == member_id, member_roles.c.role == role
                    )
                )
            ).scalar_one_or_none()
            if status is not None:
                return status
            await conn.execute(
                insert(member_roles).values(
                    member_id=member_id, role=role, status="requested", requested_at=at
                )
            )
        return "requested"

    async def approve_role(self, member_id: str, role: str, by: str, at: datetime) -> bool:
        async with self.db.begin() as conn:
            status = (
                await conn.execute(
                    select(member_roles.c.status).where(
                        member_roles.c.member_id == member_id, member_roles.c.role == role
                    )
                )
            ).scalar_one_or_none()
            if status == "approved":
                return False
            if status is None:
                await conn.execute(
                    insert(member_roles).values(
                        member_id=member_id,
                        role=role,
                        status="approved",
                        requested_at=at,
                        decided_by=by,
                        decided_at=at,
                    )
                )
            else:
                await conn.execute(
                    update(member_roles)
                    .where(member_roles.c.member_id == member_id, member_roles.c.role == role)
                    .values(status="approved", decided_by=by, decided_at=at)
                )
        return True

    async def remove_role(self, member_id: str, role: str) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                delete(member_roles).where(
                    member_roles.c.member_id == member_id, member_roles.c.role == role
                )
            )
        return result.rowcount == 1

    async def roles_of(self, member_id: str) -> list[RoleClaim]:
        return await self._claims(member_roles.c.member_id == member_id)

    async def pending_roles(self) -> list[RoleClaim]:
        return await self._claims(member_roles.c.status == "requested")

    async def approved_roles(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for claim in await self._claims(member_roles.c.status == "approved"):
            out.setdefault(claim.member_id, []).append(claim.role)
        return out

    async def _claims(self, where: Any) -> list[RoleClaim]:
        query = select(member_roles).where(where).order_by(member_roles.c.requested_at)
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [RoleClaim(r.member_id, r.role, r.status, r.requested_at) for r in rows]

    async def export_member(self, member_id: str) -> dict[str, Any]:
        return {
            "community_roles": [
                {"role": c.role, "status": c.status} for c in await self.roles_of(member_id)
            ]
        }

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(member_roles).where(member_roles.c.member_id == member_id))
