"""Posting a calendar occurrence once among several processes: the occurrences table and the
leased claim on its post (storage/claims.py).

`claim_post` takes the lease and sets the row to 'posting' in one transaction; `finish` records
the outcome and ends the claim in one transaction. A process that dies in between leaves the
claim open: once its lease has run out `abandoned_posts` names the occurrence and the calendar
takes the post over (bot/features/calendar/service.py `take_over`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, String, Table, UniqueConstraint, update

from bot.features.calendar.ports import Status
from storage.claims import Claims
from storage.db import Database
from storage.schema import UtcDateTime, metadata

POST_CLAIM = "calendar.post"

occurrences = Table(
    "calendar_occurrences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("slot_key", String(200), nullable=False),
    Column("scheduled_at", UtcDateTime, nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("theme", String(200), nullable=True),
    Column("prompt_key", String(40), nullable=True),
    Column("prompt_type", String(16), nullable=True),
    Column("channel", String(100), nullable=True),
    Column("message_ref", String(100), nullable=True),
    Column("thread_ref", String(100), nullable=True),
    Column("planned_at", UtcDateTime, nullable=False),
    Column("reminded_at", UtcDateTime, nullable=True),
    Column("posted_at", UtcDateTime, nullable=True, index=True),
    Column("note", String(200), nullable=True),
    UniqueConstraint("slot_key", "scheduled_at", name="uq_calendar_occurrences_slot_key"),
)


class _NothingToPost(Exception):
    pass


class PostClaims:
    db: Database
    claims: Claims

    async def claim_post(self, occurrence_id: int, now: datetime) -> bool:
        """planned (or posting, with an expired lease) -> posting; True for the one caller."""
        try:
            async with self.db.begin() as conn:
                if await self.claims.claim_in(conn, POST_CLAIM, str(occurrence_id), now) is None:
                    return False
                result = await conn.execute(
                    update(occurrences)
                    .where(
                        occurrences.c.id == occurrence_id,
                        occurrences.c.status.in_([str(Status.PLANNED), str(Status.POSTING)]),
                    )
                    .values(status=str(Status.POSTING))
                )
                if result.rowcount != 1:
                    raise _NothingToPost  # skipped meanwhile: roll the claim back too
        except _NothingToPost:
            return False
        return True

    async def finish(
        self,
        occurrence_id: int,
        status: Status,
        now: datetime,
        *,
        message_ref: str | None = None,
        thread_ref: str | None = None,
        note: str | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": str(status)}
        if status is Status.POSTED:
            values.update(message_ref=message_ref, thread_ref=thread_ref, posted_at=now)
        if note is not None:
            values["note"] = note[:200]
        async with self.db.begin() as conn:
            await conn.execute(
                update(occurrences).where(occurrences.c.id == occurrence_id).values(**values)
            )
            await self.claims.done_in(conn, POST_CLAIM, str(occurrence_id), now)

    async def close_post_claim(self, occurrence_id: int, now: datetime) -> None:
        await self.claims.done(POST_CLAIM, str(occurrence_id), now)

    async def abandoned_posts(self, now: datetime) -> list[int]:
        return [int(key) for key in await self.claims.abandoned(POST_CLAIM, now)]

    async def next_takeover(self) -> datetime | None:
        return await self.claims.next_expiry(POST_CLAIM)
