"""Stored page snapshots on SQLite and on a real PostgreSQL: with two processes on one database
one computes a page (it holds the lease) and the other serves what it stored; opt-outs and
forgotten members change the privacy mark, so nothing stored before them is served."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.features.dashboard.pages import StoriesPage
from bot.features.dashboard.ports import StoredSnapshot, StoryRow
from bot.features.dashboard.snapshots import Snapshots
from bot.features.dashboard.stored import StoredPages
from storage.claims import Claims
from storage.dashboard import SqlDashboardStore
from storage.db import Database
from storage.members import write_tombstone
from tests.report.seed import seed
from tests.support import config_from

T0 = datetime(2026, 3, 23, 7, 0, tzinfo=UTC)
REFRESH = timedelta(minutes=5)


class Figures:
    """A page's figures that are ready when the test says so; counts its computations."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.release = asyncio.Event()
        self.computed: list[datetime] = []

    async def __call__(self, now: datetime) -> object:
        await self.release.wait()
        self.computed.append(now)
        return StoriesPage([StoryRow(self.title, "<b>tekst</b>", now, "approved")])


@pytest.fixture
async def second(storage_url: str) -> AsyncIterator[SqlDashboardStore]:
    """Another process's store on the same database."""
    db = Database.from_url(storage_url)
    yield SqlDashboardStore(db)
    await db.close()


def process(store: SqlDashboardStore, storage_url: str, owner: str) -> Snapshots:
    config = config_from(storage_url=storage_url)
    stored = StoredPages(store.snapshots, lambda: config)
    return Snapshots(lambda: REFRESH, stored, Claims(store.db, owner=owner))


async def test_one_process_computes_and_the_other_serves_what_it_stored(
    store: SqlDashboardStore, second: SqlDashboardStore, storage_url: str
) -> None:
    a, b = process(store, storage_url, "a"), process(second, storage_url, "b")
    figures_a, figures_b = Figures("van a"), Figures("van b")
    figures_b.release.set()
    assert await a.get("stories", T0, figures_a, wait=0) is None  # a claims and computes
    assert await b.get("stories", T0, figures_b, wait=None) is None  # b does not compute too
    figures_a.release.set()
    await a.settled()
    served = await b.get("stories", T0 + timedelta(seconds=30), figures_b, wait=0)
    assert served is not None and served.as_of == T0
    assert isinstance(served.data, StoriesPage) and served.data.stories[0].title == "van a"
    assert figures_a.computed == [T0] and figures_b.computed == []
    # The next refresh period: whoever asks first computes, once.
    later = T0 + REFRESH + timedelta(seconds=1)
    stale = await b.get("stories", later, figures_b)
    assert stale == served  # served at once while b computes
    await b.settled()
    fresh = await a.get("stories", later + timedelta(seconds=1), figures_a, wait=0)
    assert fresh is not None and fresh.as_of == later
    assert isinstance(fresh.data, StoriesPage) and fresh.data.stories[0].title == "van b"
    assert figures_a.computed == [T0] and figures_b.computed == [later]


async def test_a_failed_computation_is_tried_again_at_the_next_visit(
    store: SqlDashboardStore, storage_url: str
) -> None:
    snapshots = process(store, storage_url, "a")
    attempts: list[datetime] = []

    async def figures(now: datetime) -> object:
        attempts.append(now)
        if len(attempts) == 1:
            raise RuntimeError("the database went away for a moment")
        return StoriesPage([StoryRow("weer goed", "tekst", now, "approved")])

    with pytest.raises(RuntimeError):
        await snapshots.get("stories", T0, figures, wait=None)
    # the same refresh period, well within the claim's lease
    served = await snapshots.get("stories", T0 + timedelta(seconds=1), figures, wait=None)
    assert served is not None and isinstance(served.data, StoriesPage)
    assert served.data.stories[0].title == "weer goed"
    assert len(attempts) == 2


async def test_the_privacy_mark_changes_with_opt_outs_and_forgotten_members(
    store: SqlDashboardStore,
) -> None:
    marks = [await store.snapshots.privacy_mark()]
    prefs = [{"member_id": "console:bram", "choice": "out", "at": T0}]
    await seed(store.db, "spotlight_prefs", prefs)
    marks.append(await store.snapshots.privacy_mark())
    async with store.db.begin() as conn:
        await write_tombstone(conn, "console:carla", T0 + timedelta(minutes=1), True)
    marks.append(await store.snapshots.privacy_mark())
    assert len(set(marks)) == 3
    assert await store.snapshots.privacy_mark() == marks[-1]  # and nothing else moves it


async def test_a_newer_stored_snapshot_is_kept_and_a_forget_drops_them_all(
    store: SqlDashboardStore,
) -> None:
    newer = StoredSnapshot("members", "key", "mark", T0 + timedelta(minutes=5), "{}")
    await store.snapshots.save(newer)
    await store.snapshots.save(StoredSnapshot("members", "key", "mark", T0, '{"old": 1}'))
    assert await store.snapshots.load("members") == newer
    await store.snapshots.save(StoredSnapshot("stories", "key", "mark", T0, "{}"))
    await store.snapshots.erase_member("console:bram")
    assert await store.snapshots.load("members") is None
    assert await store.snapshots.load("stories") is None
