"""Property: whoever answers, and however two processes on one database restart around the
reminder moment, the survey reminder reaches exactly the present members who had not answered,
each once (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.events import Actor, CommandInvoked, FormSubmitted, Interaction, Member, MemberJoined
from tests.conftest import copy_of_sqlite
from tests.postgres_server import create_database
from tests.support import ConsoleRun

START = datetime.fromisoformat("2026-03-23T09:00:00+01:00")
NAMES = ["anna", "bob", "carla", "dirk", "eva", "femke"]

plans = st.tuples(
    st.sets(st.sampled_from(NAMES)),  # who answers before the reminder
    st.sets(st.sampled_from(NAMES)),  # who left before it
    st.lists(st.tuples(st.integers(0, 1), st.integers(1, 40), st.booleans()), max_size=6),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """A new database per example, migrated (a copy of the session's migrated template)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        return lambda: copy_of_sqlite(template, tmp_path / f"{uuid.uuid4().hex[:8]}.db")
    admin = str(request.getfixturevalue("postgres_admin_url"))
    migrated = str(request.getfixturevalue("postgres_template"))
    return lambda: asyncio.run(create_database(admin, template=migrated))


class Process:
    def __init__(self, url: str) -> None:
        self.console = ConsoleRun(Path("unused.db"), env={"PLEIN_STORAGE__URL": url})
        self.outputs: list[StringIO] = []
        self.plein: Any = None

    async def start(self, at: datetime) -> None:
        plein, adapter, out = await self.console.start(at)
        adapter.host = plein
        await plein.ready()
        self.plein, self.outputs = plein, [*self.outputs, out]

    def reminded(self) -> list[str]:
        lines = [line for out in self.outputs for line in out.getvalue().splitlines()]
        sent = [json.loads(line) for line in lines if line.startswith("{")]
        return [
            s["member"]
            for s in sent
            if s["action"] == "dm" and "herinnering: de vragenlijst" in s["text"]
        ]


def actor(name: str) -> Actor:
    return Actor(f"console:{name}", name)


async def run(url: str, answered: set[str], left: set[str], plan: list) -> tuple[list, set]:
    processes = [Process(url), Process(url)]
    for process in processes:
        await process.start(START)
    first = processes[0].plein
    for name in NAMES:
        await first.dispatch(MemberJoined(member=Member(f"console:{name}", name)))
    await first.dispatch(
        CommandInvoked(
            actor=actor("anna"),
            path=("survey",),
            options={"title": "Programma", "question": ["Wat wil je?", "poll: Dag? / za / zo"]},
            interaction=Interaction("create", channel="algemeen"),
        )
    )
    for name in sorted(answered):
        await first.dispatch(
            FormSubmitted(
                actor=actor(name),
                form_id="survey:1:0",
                values={"0": "Meer wandelen", "1": "za"},
                interaction=Interaction(f"form-{name}"),
            )
        )
    for name in sorted(left):
        from bot.events import MemberLeft

        await first.dispatch(MemberLeft(member=Member(f"console:{name}", name)))
    now = START
    end = START + timedelta(days=8)  # past the reminder (6 days in) and the close
    for which, hours, restart in plan:
        process = processes[which]
        now = min(now + timedelta(hours=hours * 4), end)
        if restart:
            await process.plein.close()
            await process.start(now)
        assert process.plein.time_control is not None
        await process.plein.time_control.advance_to(now)
    # Both processes reach the end at the same time: each may find the reminder due at once.
    await asyncio.gather(*(p.plein.time_control.advance_to(end) for p in processes))
    for process in processes:
        await process.plein.close()
    expected = {n for n in NAMES if n not in answered and n not in left}
    return [m for p in processes for m in p.reminded()], expected


def test_the_reminder_reaches_exactly_the_non_responders_once(
    fresh_database: Callable[[], str],
) -> None:
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plan=plans)
    def check(plan: tuple[set[str], set[str], list]) -> None:
        answered, left, steps = plan
        reminded, expected = asyncio.run(run(fresh_database(), answered, left, steps))
        assert Counter(reminded) == Counter(expected)

    check()


async def claims_at_once(url: str) -> tuple[list[bool], list[bool]]:
    from bot.features.surveys.ports import Question, QuestionKind
    from storage.db import Database
    from storage.surveys import SqlSurveyStore

    dbs = [Database.from_url(url), Database.from_url(url)]
    await dbs[0].migrate()
    stores = [SqlSurveyStore(db) for db in dbs]
    try:
        survey = await stores[0].create(
            title="t",
            channel="algemeen",
            creator_id="console:anna",
            anonymous=False,
            created_at=START,
            closes_at=START + timedelta(days=2),
            remind_at=START + timedelta(days=1),
            salt=None,
            questions=[Question(0, QuestionKind.TEXT, "a"), Question(1, QuestionKind.TEXT, "b")],
        )
        later = START + timedelta(days=1, hours=1)
        reminders = await asyncio.gather(
            *(stores[i % 2].claim_reminder(survey.id, later) for i in range(8))
        )
        closes = await asyncio.gather(
            *(stores[i % 2].claim_close(survey.id, later) for i in range(8))
        )
        return list(reminders), list(closes)
    finally:
        for db in dbs:
            await db.close()


def test_two_processes_claiming_at_once_get_one_reminder_and_one_close(
    fresh_database: Callable[[], str],
) -> None:
    reminders, closes = asyncio.run(claims_at_once(fresh_database()))
    assert reminders.count(True) == 1
    assert closes.count(True) == 1
