"""Loud failure (issue 19, points 4 and 6): a storage fault is never met with a confirmation,
stops new work, ends the console with one line and a non-zero exit, and a transient lock is
ridden out by bounded retries instead of losing the write."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from adapters.console import ConsoleAdapter
from bot.app import Plein, build
from bot.cli import EXIT_STORAGE, main
from bot.clock import ManualClock
from bot.config import example_text
from bot.features.privacy.logs import OncePerMinute
from storage.db import Database
from storage.onboarding import state as onboarding_state
from storage.recognition_tables import contributions, kudos
from storage.retry import RetryPolicy
from tests.support import EXAMPLE_START, ConsoleRun

HISTORY = [
    "join anna",
    "join bob",
    "join carla",
    "anna: hallo allemaal, fijn dat jullie er zijn",
    'anna: /kudos @bob "voor de koffie"',
    'anna: /poll "Welke dag?" Ma Di Wo',
]
SENT_TO = "Je kudos voor"  # "Je kudos voor @bob is vastgelegd."


def printed(out: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def disk_full(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    """What SQLite raises when a write meets a full disk (a protocol-level fault of the real
    driver, raised through SQLAlchemy's own event hook - none of Plein's code is replaced)."""
    if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
        raise OperationalError(
            statement, None, sqlite3.OperationalError("database or disk is full")
        )


@contextmanager
def full_disk(target: Any) -> Iterator[None]:
    event.listen(target, "before_cursor_execute", disk_full)
    try:
        yield
    finally:
        event.remove(target, "before_cursor_execute", disk_full)


async def count(db: Database, table: Any) -> int:
    async with db.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_disk_full_confirms_nothing_and_stops_taking_work(console: ConsoleRun) -> None:
    plein, adapter, out = await console.start()
    adapter.lines = HISTORY
    await adapter.run(plein)
    poll_ref = next(a["ref"] for a in printed(out) if a["text"].startswith("📊 Poll #1"))
    seen = len(printed(out))
    kudos_before = await count(plein.db, kudos)
    adapter.lines = [
        'anna: /kudos @carla "voor het opruimen"',
        f"bob picks {poll_ref} Di",
        "carla: is hier iemand?",
        'bob: /kudos @anna "dank"',
    ]
    with full_disk(plein.db.engine.sync_engine):
        await adapter.run(plein)
    after = printed(out)[seen:]
    assert not plein.healthy
    assert plein.problem == "OperationalError: database or disk is full"
    # The kudos was not stored, so nobody was told it was; anna hears that nothing was saved.
    assert not [a for a in after if SENT_TO in a["text"] or "geeft je kudos" in a["text"]]
    assert [a["text"] for a in after if a.get("member") == "anna"] == [
        "Sorry, ik kan nu niets opslaan, dus dit is niet vastgelegd. Probeer het later nog eens."
    ]
    # Nothing after the failure was taken: no vote, no message echo, no second kudos.
    assert not [a for a in after if a.get("member") == "bob" or a["action"] == "message"]
    assert await count(plein.db, kudos) == kudos_before
    await plein.close()


def test_the_console_ends_with_one_line_and_a_non_zero_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "plein.toml"
    config.write_text(example_text(), encoding="utf-8")
    monkeypatch.setenv("PLEIN_STORAGE__URL", f"sqlite:///{tmp_path / 'plein.db'}")
    history = tmp_path / "history.txt"
    history.write_text("\n".join(HISTORY), encoding="utf-8")
    common = ["run", "--config", str(config), "--json", "--start", "2026-03-23T08:00"]
    assert main([*common, "--script", str(history)]) == 0
    capsys.readouterr()
    burst = tmp_path / "burst.txt"
    burst.write_text(
        "\n".join([f"carla: bericht {i}" for i in range(50)] + ['anna: /kudos @carla "dank"']),
        encoding="utf-8",
    )
    with full_disk(Engine):  # every engine: the one `plein run` builds for itself
        code = main([*common, "--script", str(burst)])
    out, err = capsys.readouterr()
    assert code == EXIT_STORAGE
    assert err.splitlines()[-1] == (
        "plein: stopped, storage failed: OperationalError: database or disk is full"
    )
    # At most one logged traceback a minute (one record; a chained cause prints two headers).
    assert sum("exc=" in line for line in err.splitlines()) <= 1
    assert SENT_TO not in out
    # It stopped at the first failed write instead of echoing the other 49 messages.
    assert sum('"action": "message"' in line for line in out.splitlines()) <= 1


def unreachable(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, str]:
    """A storage URL that cannot be opened, and the database's own words for why."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'no-such-dir' / 'plein.db'}", "unable to open database file"
    from tests.postgres_server import database_url

    admin_url = request.getfixturevalue("postgres_admin_url")
    return database_url(admin_url, "no_such_database"), 'database "no_such_database" does not exist'


def test_an_unreachable_database_at_start_is_one_line_and_exit_3(
    backend: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "plein.toml"
    config.write_text(example_text(), encoding="utf-8")
    url, because = unreachable(backend, tmp_path, request)
    monkeypatch.setenv("PLEIN_STORAGE__URL", url)
    for argv in (["db", "upgrade", "--config", str(config)], ["run", "--config", str(config)]):
        script = tmp_path / "empty.txt"
        script.write_text("join anna\n", encoding="utf-8")
        args = argv if argv[0] == "db" else [*argv, "--script", str(script)]
        assert main(args) == EXIT_STORAGE
        _, err = capsys.readouterr()
        assert "Traceback" not in err
        [line] = err.splitlines()
        assert line.startswith("plein: stopped, storage failed: cannot open the database ")
        assert because in line


@pytest.mark.sqlite_file  # a sqlite3 connection holds SQLite's one write lock
async def test_a_locked_database_is_retried_and_the_first_post_is_kept(
    console: ConsoleRun,
) -> None:
    """Another process holds the write lock (BEGIN EXCLUSIVE) for a moment: the first-post
    activity mark and the recognition group commit wait it out instead of being lost."""
    blocker = sqlite3.connect(console.db_path, isolation_level=None)
    pauses: list[float] = []

    async def pause(seconds: float) -> None:  # the moment ends at the first backoff
        pauses.append(seconds)
        if blocker.in_transaction:
            blocker.execute("COMMIT")
        await asyncio.sleep(0)

    plein, adapter, out = await started(
        console,
        Database.from_url(
            f"sqlite:///{console.db_path}", busy_timeout=0.01, retry=RetryPolicy(pause=pause)
        ),
    )
    adapter.lines = ["join anna", "join bob"]
    await adapter.run(plein)
    blocker.execute("BEGIN EXCLUSIVE")
    adapter.lines = ["bob: mijn eerste bericht hier!"]
    await adapter.run(plein)
    assert not blocker.in_transaction and pauses  # it was locked, and retried
    assert plein.healthy
    async with plein.db.connect() as conn:
        first_post = (
            await conn.execute(
                select(onboarding_state.c.first_post_at).where(
                    onboarding_state.c.member_id == "console:bob"
                )
            )
        ).scalar_one()
    assert first_post is not None
    await plein.flush()
    assert await count(plein.db, contributions) >= 1
    await plein.close()
    blocker.close()


@pytest.mark.sqlite_file  # a sqlite3 connection holds SQLite's one write lock
async def test_a_lock_that_outlasts_the_retries_fails_loudly(console: ConsoleRun) -> None:
    blocker = sqlite3.connect(console.db_path, isolation_level=None)

    async def pause(seconds: float) -> None:
        await asyncio.sleep(0)

    db = Database.from_url(
        f"sqlite:///{console.db_path}", busy_timeout=0.01, retry=RetryPolicy(pause=pause)
    )
    plein, adapter, out = await started(console, db)
    adapter.lines = ["join anna"]
    await adapter.run(plein)
    seen = len(printed(out))
    blocker.execute("BEGIN EXCLUSIVE")
    adapter.lines = ['anna: /kudos @anna "zelf"', "anna: hallo", "join bob"]
    await adapter.run(plein)
    blocker.execute("COMMIT")
    assert not plein.healthy and "database is locked" in (plein.problem or "")
    assert not [a for a in printed(out)[seen:] if a.get("member") == "bob"]
    await plein.close()
    blocker.close()


async def started(console: ConsoleRun, db: Database) -> tuple[Plein, ConsoleAdapter, io.StringIO]:
    out = io.StringIO()
    config = console.config()
    adapter = ConsoleAdapter(
        config, lines=[], out=out, json_output=True, state_path=console.state_path
    )
    plein = await build(
        config, adapter, clock=ManualClock(datetime.fromisoformat(EXAMPLE_START)), db=db
    )
    return plein, adapter, out


def test_one_traceback_per_place_a_minute() -> None:
    moment = [0.0]
    throttle = OncePerMinute(now=lambda: moment[0])
    records = []
    for second in range(0, 150):
        moment[0] = float(second)
        try:
            raise OSError("database or disk is full")
        except OSError as error:
            record = logging_record(error)
        if throttle.filter(record):
            records.append((second, getattr(record, "suppressed_repeats", 0)))
    assert records == [(0, 0), (60, 59), (120, 59)]
    try:
        raise KeyError("elsewhere")
    except KeyError as other:
        assert throttle.filter(logging_record(other))  # another failure is not held back


def logging_record(error: BaseException) -> Any:
    import logging

    return logging.LogRecord(
        "plein", logging.ERROR, __file__, 1, "failed", (), (type(error), error, error.__traceback__)
    )
