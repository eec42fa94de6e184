"""Property: however two Plein processes on one database start, stop and move through the end of a
season - each at its own pace, restarted at any moment - the season's recognition is posted
exactly once (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.events import Member, MemberJoined, MessagePosted
from tests.conftest import copy_of_sqlite
from tests.postgres_server import create_database
from tests.recognition.helpers import config_with
from tests.support import ConsoleRun

START = datetime.fromisoformat("2026-03-30T09:00:00+02:00")
AFTER = datetime.fromisoformat("2026-04-02T09:00:00+02:00")
"""Both processes end here, within the catch-up window of the 31 March post."""

steps = st.lists(
    st.tuples(
        st.integers(0, 1),  # which process
        st.integers(1, 30),  # hours the shared time moves on
        st.booleans(),  # restart that process first
    ),
    max_size=8,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """A new database per example, migrated (a copy of the session's migrated template, as a
    restart finds it): the claim is per season, once ever."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        return lambda: copy_of_sqlite(template, tmp_path / f"{uuid.uuid4().hex[:8]}.db")
    admin = str(request.getfixturevalue("postgres_admin_url"))
    migrated = str(request.getfixturevalue("postgres_template"))
    return lambda: asyncio.run(create_database(admin, template=migrated))


class Process:
    def __init__(self, url: str, prefix: str) -> None:
        self.console = ConsoleRun(Path("unused.db"), config_text=config_with('season = "month"'))
        self.console.env["PLEIN_STORAGE__URL"] = url
        self.prefix = prefix
        self.outputs: list[StringIO] = []
        self.plein: Any = None

    async def start(self, at: datetime) -> None:
        plein, adapter, out = await self.console.start(at)
        adapter.host = plein
        await plein.ready()
        self.plein, self.outputs = plein, [*self.outputs, out]

    async def move_to(self, at: datetime) -> None:
        assert self.plein.time_control is not None
        await self.plein.time_control.advance_to(at)

    async def stop(self) -> None:
        await self.plein.close()

    def season_posts(self) -> int:
        lines = [line for out in self.outputs for line in out.getvalue().splitlines()]
        posts = [json.loads(line) for line in lines if line.startswith("{")]
        return sum(1 for p in posts if p["action"] == "post" and "zit erop" in p["text"])


async def run(url: str, plan: list[tuple[int, int, bool]]) -> int:
    run_id = uuid.uuid4().hex[:8]
    processes = [Process(url, run_id), Process(url, run_id)]
    for process in processes:
        await process.start(START)
    anna = Member(f"console:{run_id}-anna", "anna")
    await processes[0].plein.dispatch(MemberJoined(member=anna))
    await processes[0].plein.dispatch(
        MessagePosted(author=anna, channel="algemeen", message_ref=f"{run_id}-1", length=40)
    )
    await processes[0].plein.flush()  # what its writer does within flush_ms on a real clock
    now = START
    for which, hours, restart in plan:
        process = processes[which]
        now = min(now + timedelta(hours=hours), AFTER)
        if restart:
            await process.stop()
            await process.start(now)
        await process.move_to(now)
    for process in processes:
        await process.move_to(AFTER)
        await process.stop()
    return sum(p.season_posts() for p in processes)


def test_a_season_is_recognised_exactly_once(fresh_database: Callable[[], str]) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plan=steps)
    def check(plan: list[tuple[int, int, bool]]) -> None:
        assert asyncio.run(run(fresh_database(), plan)) == 1

    check()
