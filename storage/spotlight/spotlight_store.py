"""Spotlight runs (one per week, claimed exactly once), answers, preferences and nominations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.features.report.facts import CommunityFacts
from bot.features.spotlight.ports import Nomination, SpotlightRun
from storage.db import Database
from storage.spotlight.tables import (
    spotlight_answers,
    spotlight_claims,
    spotlight_nominations,
    spotlight_prefs,
    spotlight_runs,
)


def _run(row: Any) -> SpotlightRun:
    return SpotlightRun(
        week=row.week,
        member_id=row.member_id,
        status=row.status,
        interview=row.interview,
        chosen_at=row.chosen_at,
        posted_at=row.posted_at,
        message_ref=row.message_ref,
    )


class SqlSpotlightStore:
    def __init__(self, db: Database, facts: CommunityFacts) -> None:
        self.db = db
        self.facts = facts

    async def claim_week(
        self, week: date, member_id: str | None, status: str, at: datetime, interview: str
    ) -> bool:
        values = dict(
            week=week,
            member_id=member_id,
            status=status,
            interview=interview,
            chosen_at=at,
            posted_at=at if status == "posted" else None,
        )
        try:
            async with self.db.begin() as conn:
                await conn.execute(insert(spotlight_runs).values(**values))
        except IntegrityError:
            return False
        return True

    async def run_for(self, week: date) -> SpotlightRun | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(spotlight_runs).where(spotlight_runs.c.week == week))
            ).one_or_none()
        return _run(row) if row else None

    async def mark_posted(self, week: date, at: datetime, ref: str | None) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.week == week, spotlight_runs.c.status == "chosen")
                .values(status="posted", posted_at=at)
            )
        return result.rowcount == 1

    async def set_message_ref(self, week: date, ref: str | None) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(spotlight_runs).where(spotlight_runs.c.week == week).values(message_ref=ref)
            )

    async def decline(self, week: date, member_id: str) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(spotlight_runs)
                .where(
                    spotlight_runs.c.week == week,
                    spotlight_runs.c.member_id == member_id,
                    spotlight_runs.c.status == "chosen",
                )
                .values(status="declined", interview="declined")
            )
        return result.rowcount == 1

    async def replace_declined(self, week: date, member_id: str | None, at: datetime) -> bool:
        status = "posted" if member_id else "skipped"
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.week == week, spotlight_runs.c.status == "declined")
                .values(member_id=member_id, status=status, posted_at=at, interview="none")
            )
        return result.rowcount == 1

    async def set_interview(self, week: date, status: str) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(spotlight_runs).where(spotlight_runs.c.week == week).values(interview=status)
            )

    async def last_spotlights(self, since: date) -> dict[str, date]:
        query = (
            select(spotlight_runs.c.member_id, func.max(spotlight_runs.c.week))
            .where(
                spotlight_runs.c.week >= since,
                spotlight_runs.c.member_id.is_not(None),
                spotlight_runs.c.status != "skipped",
            )
            .group_by(spotlight_runs.c.member_id)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {member: _as_date(week) for member, week in rows}

    async def recent_runs(self, limit: int) -> list[SpotlightRun]:
        query = (
            select(spotlight_runs)
            .where(spotlight_runs.c.status == "posted")
            .order_by(spotlight_runs.c.week.desc())
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [_run(r) for r in (await conn.execute(query)).all()]

    async def save_answers(self, week: date, answers: list[str]) -> None:
        async with self.db.begin() as conn:
            await conn.execute(delete(spotlight_answers).where(spotlight_answers.c.week == week))
            for idx, answer in enumerate(answers):
                await conn.execute(
                    insert(spotlight_answers).values(week=week, idx=idx, answer=answer)
                )
            await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.week == week)
                .values(interview="answered")
            )

    async def answers(self, week: date) -> list[str]:
        query = (
            select(spotlight_answers.c.answer)
            .where(spotlight_answers.c.week == week)
            .order_by(spotlight_answers.c.idx)
        )
        async with self.db.connect() as conn:
            return list((await conn.execute(query)).scalars())

    async def set_preference(self, member_id: str, choice: str, at: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                delete(spotlight_prefs).where(spotlight_prefs.c.member_id == member_id)
            )
            await conn.execute(
                insert(spotlight_prefs).values(member_id=member_id, choice=choice, at=at)
            )

    async def preferences(self) -> dict[str, str]:
        async with self.db.connect() as conn:
            rows = (await conn.execute(select(spotlight_prefs))).all()
        return {r.member_id: r.choice for r in rows}

    async def add_nomination(
        self, member_id: str, nominated_by: str, reason: str, at: datetime
    ) -> int:
        async with self.db.begin() as conn:
            result = await conn.execute(
                insert(spotlight_nominations).values(
                    member_id=member_id, nominated_by=nominated_by, reason=reason, at=at
                )
            )
        key = result.inserted_primary_key
        if key is None:
            raise RuntimeError("the database returned no id for the new nomination")
        return int(key[0])

    async def open_nominations(self) -> list[Nomination]:
        query = (
            select(spotlight_nominations)
            .where(spotlight_nominations.c.used_week.is_(None))
            .order_by(spotlight_nominations.c.at, spotlight_nominations.c.id)
        )
        async with self.db.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [Nomination(r.id, r.member_id, r.nominated_by, r.reason, r.at) for r in rows]

    async def use_nominations(self, member_id: str, week: date) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(spotlight_nominations)
                .where(
                    spotlight_nominations.c.member_id == member_id,
                    spotlight_nominations.c.used_week.is_(None),
                )
                .values(used_week=week)
            )

    async def claim(self, kind: str, key: str, at: datetime) -> bool:
        try:
            async with self.db.begin() as conn:
                await conn.execute(
                    insert(spotlight_claims).values(kind=kind, period_key=key, at=at)
                )
        except IntegrityError:
            return False
        return True

    async def has_claim(self, kind: str, key: str) -> bool:
        query = select(spotlight_claims.c.kind).where(
            spotlight_claims.c.kind == kind, spotlight_claims.c.period_key == key
        )
        async with self.db.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def export_member(self, member_id: str) -> dict[str, Any]:
        async with self.db.connect() as conn:
            runs = (
                await conn.execute(
                    select(spotlight_runs.c.week, spotlight_runs.c.status).where(
                        spotlight_runs.c.member_id == member_id
                    )
                )
            ).all()
            answers = []
            for run in runs:
                answers += list(
                    (
                        await conn.execute(
                            select(spotlight_answers.c.answer).where(
                                spotlight_answers.c.week == run.week
                            )
                        )
                    ).scalars()
                )
            pref = (
                await conn.execute(
                    select(spotlight_prefs.c.choice).where(spotlight_prefs.c.member_id == member_id)
                )
            ).scalar_one_or_none()
            given = (
                await conn.execute(
                    select(spotlight_nominations.c.member_id, spotlight_nominations.c.reason).where(
                        spotlight_nominations.c.nominated_by == member_id
                    )
                )
            ).all()
            received = (
                await conn.execute(
                    select(spotlight_nominations.c.reason).where(
                        spotlight_nominations.c.member_id == member_id
                    )
                )
            ).all()
        return {
            "spotlights": [{"week": str(r.week), "status": r.status} for r in runs],
            "interview_answers": answers,
            "preference": pref,
            "nominations_given": [{"member": r.member_id, "reason": r.reason} for r in given],
            "nominations_received": [r.reason for r in received],
        }

    async def erase_member(self, member_id: str) -> None:
        async with self.db.begin() as conn:
            weeks = list(
                (
                    await conn.execute(
                        select(spotlight_runs.c.week).where(spotlight_runs.c.member_id == member_id)
                    )
                ).scalars()
            )
            if weeks:
                await conn.execute(
                    delete(spotlight_answers).where(spotlight_answers.c.week.in_(weeks))
                )
            # The week stays claimed (exactly-once), without the member.
            await conn.execute(
                update(spotlight_runs)
                .where(spotlight_runs.c.member_id == member_id)
                .values(member_id=None)
            )
            await conn.execute(
                delete(spotlight_prefs).where(spotlight_prefs.c.member_id == member_id)
            )
            await conn.execute(
                delete(spotlight_nominations).where(
                    (spotlight_nominations.c.member_id == member_id)
                    | (spotlight_nominations.c.nominated_by == member_id)
                )
            )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
