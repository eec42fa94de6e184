"""The story archive: stories members add, resurfaced by the calendar and the mission reminder."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    delete,
    func,
    insert,
    select,
    update,
)

from bot.features.api import ArchivedStory
from storage.db import Database
from storage.spotlight.tables import stories


def _story(row: Any) -> ArchivedStory:
    return ArchivedStory(
        id=row.id, title=row.title, text=row.text, added_by=row.added_by, added_at=row.created_at
    )


class SqlStoryStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_story(
        self,
        *,
        title: str,
        text: str,
        added_by: str | None,
        at: datetime,
        source_ref: str | None = None,
        source_channel: str | None = None,
        status: str = "ready",
    ) -> int:
        async with self.db.begin() as conn:
            result = await conn.execute(
                insert(stories).values(
                    title=title,
                    text=text,
                    added_by=added_by,
                    created_at=at,
                    status=status,
                    source_ref=source_ref,
                    source_channel=source_channel,
                )
            )
        key = result.inserted_primary_key
        if key is None:
            raise RuntimeError("the database returned no id for the new story")
        return int(key[0])

    async def complete_story(self, story_id: int, title: str, text: str) -> bool:
        async with self.db.begin() as conn:
            result = await conn.execute(
                update(stories)
                .where(stories.c.id == story_id)
                .values(title=title, text=text, status="ready")
            )
        return result.rowcount == 1

    async def story(self, story_id: int) -> ArchivedStory | None:
        async with self.db.connect() as conn:
            row = (
                await conn.execute(select(stories).where(stories.c.id == story_id))
            ).one_or_none()
        return _story(row) if row else None

    async def story_by_source(self, source_ref: str) -> int | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(select(stories.c.id).where(stories.c.source_ref == source_ref))
            ).scalar_one_or_none()

    async def list_stories(self, limit: int) -> list[ArchivedStory]:
        query = (
            select(stories)
            .where(stories.c.status == "ready")
            .order_by(stories.c.created_at.desc(), stories.c.id.desc())
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [_story(r) for r in (await conn.execute(query)).all()]

    async def count_stories(self) -> int:
        async with self.db.connect() as conn:
            return int(
                (
                    await conn.execute(
                        select(func.count()).select_from(stories).where(stories.c.status == "ready")
                    )
                ).scalar_one()
            )

    async def least_recently_shown(self, limit: int) -> list[ArchivedStory]:
        query = (
            select(stories)
            .where(stories.c.status == "ready")
            .order_by(
                stories.c.last_shown_at.is_not(None),
                stories.c.last_shown_at,
                stories.c.id,
            )
            .limit(limit)
        )
        async with self.db.connect() as conn:
            return [_story(r) for r in (await conn.execute(query)).all()]

    async def mark_shown(self, story_id: int, at: datetime) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(stories).where(stories.c.id == story_id).values(last_shown_at=at)
            )

    async def export_member(self, member_id: str) -> dict[str, Any]:
        async with self.db.connect() as conn:
            rows = (
                await conn.execute(select(stories).where(stories.c.added_by == member_id))
            ).all()
        return {
            "stories_added": [
                {"title": r.title, "text": r.text, "added_at": r.created_at.isoformat()}
                for r in rows
            ]
        }

    async def erase_member(self, member_id: str) -> None:
        """Stories belong to the community's history: kept, but no longer linked to the member."""
        async with self.db.begin() as conn:
            await conn.execute(
                delete(stories).where(stories.c.added_by == member_id, stories.c.status != "ready")
            )
            await conn.execute(
                update(stories).where(stories.c.added_by == member_id).values(added_by=None)
            )
