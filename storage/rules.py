"""Groundrules made together: proposals, their adoption as numbered versions, re-acceptance.

- rule_proposals    one row per /rules propose: the text (max 200, the member chose to publish
                    it), who proposed it, the poll it is voted on, and the managers' decision;
                    `version` is unique, so two managers adopting at once cannot share a number.
- rule_acceptances  per (member, version): asked (the DM is claimed once) and accepted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import column, table

from bot.features.rules.ports import Asked, Proposal, ProposalStatus
from storage.db import Database
from storage.members import members
from storage.schema import UtcDateTime, metadata

_Id = BigInteger().with_variant(Integer, "sqlite")

onboarding_state = table("onboarding_state", column("member_id"), column("rules_accepted_at"))
"""Onboarding's table, named here only (not imported): a Plein without onboarding stays without
its tables, and then nobody is asked to re-accept."""

rule_proposals = Table(
    "rule_proposals",
    metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),
    Column("proposed_by", String(100), nullable=True),
    Column("proposed_at", UtcDateTime, nullable=False),
    Column("poll_id", Integer, nullable=True),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=True),
    Column("decided_by", String(100), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("reason", Text, nullable=True),
    UniqueConstraint("version", name="uq_rule_proposals_version"),
)

rule_acceptances = Table(
    "rule_acceptances",
    metadata,
    Column("member_id", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("asked", Boolean, nullable=False),
    Column("asked_at", UtcDateTime, nullable=True),
    Column("accepted_at", UtcDateTime, nullable=True),
    PrimaryKeyConstraint("member_id", "version", name="pk_rule_acceptances"),
)


def _proposal(row: Any) -> Proposal:
    return Proposal(
        id=row.id,
        text=row.text,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        poll_id=row.poll_id,
        status=ProposalStatus(row.status),
        version=row.version,
        decided_at=row.decided_at,
        reason=row.reason,
    )


class SqlRulesStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def propose(self, text: str, by: str, at: datetime) -> Proposal:
        async with self.db.begin() as conn:
            done = await conn.execute(
                insert(rule_proposals).values(
                    text=text, proposed_by=by, proposed_at=at, status=ProposalStatus.OPEN.value
                )
            )
            key = done.inserted_primary_key
            assert key is not None
            new_id = int(key[0])
        proposal = await self.get(new_id)
        assert proposal is not None
        return proposal

    async def set_poll(self, proposal_id: int, poll_id: int) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(rule_proposals)
                .where(rule_proposals.c.id == proposal_id)
                .values(poll_id=poll_id)
            )

    async def get(self, proposal_id: int) -> Proposal | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(rule_proposals).where(rule_proposals.c.id == proposal_id))
            ).first()
        return _proposal(row) if row else None

    async def adopted(self) -> list[Proposal]:
        p = rule_proposals.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(rule_proposals)
                .where(p.status == ProposalStatus.ADOPTED.value)
                .order_by(p.version)
            )
            return [_proposal(row) for row in rows]

    async def open_proposals(self) -> list[Proposal]:
        p = rule_proposals.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(rule_proposals).where(p.status == ProposalStatus.OPEN.value).order_by(p.id)
            )
            return [_proposal(row) for row in rows]

    async def adopt(
        self, proposal_id: int, by: str, reason: str | None, at: datetime
    ) -> int | None:
        p = rule_proposals.c
        for _ in range(3):  # another manager took the same number: take the next one
            try:
                async with self.db.begin() as conn:
                    current = (await conn.execute(select(func.max(p.version)))).scalar()
                    version = max(int(current or 1), 1) + 1
                    done = await conn.execute(
                        update(rule_proposals)
                        .where(p.id == proposal_id, p.status == ProposalStatus.OPEN.value)
                        .values(
                            status=ProposalStatus.ADOPTED.value,
                            version=version,
                            decided_by=by,
                            decided_at=at,
                            reason=reason,
                        )
                    )
                    return version if done.rowcount == 1 else None
            except IntegrityError:
                continue
        return None

    async def reject(self, proposal_id: int, by: str, reason: str, at: datetime) -> bool:
        p = rule_proposals.c
        async with self.db.begin() as conn:
            done = await conn.execute(
                update(rule_proposals)
                .where(p.id == proposal_id, p.status == ProposalStatus.OPEN.value)
                .values(
                    status=ProposalStatus.REJECTED.value,
                    decided_by=by,
                    decided_at=at,
                    reason=reason,
                )
            )
            return done.rowcount == 1

    async def ask_reacceptance(self, version: int) -> int:
        o, m = onboarding_state.c, members.c
        who = (
            select(o.member_id, literal(version), literal(False))
            .select_from(onboarding_state.join(members, m.id == o.member_id))
            .where(o.rules_accepted_at.is_not(None), m.left_at.is_(None))
        )
        async with self.db.begin() as conn:
            done = await conn.execute(
                insert(rule_acceptances).from_select(["member_id", "version", "asked"], who)
            )
            return int(done.rowcount or 0)

    async def has_unsent_asks(self) -> bool:
        a = rule_acceptances.c
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(a.member_id).where(a.asked.is_(False)).limit(1))
            ).first()
        return row is not None

    async def claim_asks(self, limit: int, at: datetime) -> list[Asked]:
        a = rule_acceptances.c
        claimed: list[Asked] = []
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(
                    select(a.member_id, a.version)
                    .where(a.asked.is_(False))
                    .order_by(a.version, a.member_id)
                    .limit(limit)
                )
            ).all()
        for member_id, version in rows:
            async with self.db.begin() as conn:
                done = await conn.execute(
                    update(rule_acceptances)
                    .where(a.member_id == member_id, a.version == version, a.asked.is_(False))
                    .values(asked=True, asked_at=at)
                )
            if done.rowcount == 1:
                claimed.append(Asked(member_id, int(version)))
        return claimed

    async def accept_version(self, member_id: str, version: int, at: datetime) -> bool:
        a = rule_acceptances.c
        async with self.db.begin() as conn:
            done = await conn.execute(
                update(rule_acceptances)
                .where(a.member_id == member_id, a.version <= version, a.accepted_at.is_(None))
                .values(accepted_at=at)
            )
            return bool(done.rowcount)

    async def not_reaccepted(self, version: int) -> list[str]:
        a = rule_acceptances.c
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(a.member_id)
                .where(a.version == version, a.accepted_at.is_(None))
                .order_by(a.member_id)
            )
            return [row[0] for row in rows]

    async def export_member(self, member_id: str) -> dict[str, Any]:
        p, a = rule_proposals.c, rule_acceptances.c
        async with self.db.connect() as conn:
            proposed = await conn.execute(
                select(p.text, p.proposed_at, p.status, p.version).where(p.proposed_by == member_id)
            )
            accepted = await conn.execute(
                select(a.version, a.asked_at, a.accepted_at).where(a.member_id == member_id)
            )
            return {
                "rules_proposed": [
                    {"text": t, "at": at.isoformat(), "status": s, "version": v}
                    for t, at, s, v in proposed
                ],
                "rules_versions": [
                    {
                        "version": v,
                        "asked_at": asked.isoformat() if asked else None,
                        "accepted_at": done.isoformat() if done else None,
                    }
                    for v, asked, done in accepted
                ],
            }

    async def erase_member(self, member_id: str) -> None:
        """The rule stays the community's; only the name comes off it."""
        p, a = rule_proposals.c, rule_acceptances.c
        async with self.db.begin() as conn:
            await conn.execute(
                update(rule_proposals).where(p.proposed_by == member_id).values(proposed_by=None)
            )
            await conn.execute(
                update(rule_proposals).where(p.decided_by == member_id).values(decided_by=None)
            )
            await conn.execute(delete(rule_acceptances).where(a.member_id == member_id))


def make_store(db: Database) -> SqlRulesStore:
    return SqlRulesStore(db)
