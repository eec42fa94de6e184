"""A signal reports what is already done: a failing listener is logged, never the member's problem."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.signals import Contributed, ContributionKind, MemberDeparted, Signals
from tests.support import ConsoleRun, texts

AT = datetime(2026, 3, 23, 8, tzinfo=UTC)


async def test_a_failing_listener_is_logged_and_the_others_still_hear_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    signals = Signals()
    heard: list[str] = []

    async def before(signal: MemberDeparted) -> None:
        heard.append("before")

    async def broken(signal: MemberDeparted) -> None:
        raise RuntimeError("store unavailable")

    async def after(signal: MemberDeparted) -> None:
        heard.append("after")

    for listener in (before, broken, after):
        signals.subscribe(MemberDeparted, listener)
    await signals.emit(MemberDeparted(member_id="console:bob", at=AT))
    assert heard == ["before", "after"]
    [record] = [r for r in caplog.records if r.name == "plein.signals"]
    assert record.levelno == logging.ERROR and "MemberDeparted" in record.getMessage()
    assert record.exc_info is not None and "store unavailable" in str(record.exc_info[1])


async def test_a_vote_stays_confirmed_and_stored_when_a_contribution_listener_fails(
    tmp_path: Path, storage_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """End to end on the console: the recognition-style write after a vote fails."""
    quiet = ("ONBOARDING", "CALENDAR", "SPOTLIGHT", "REPORT")  # recognition listens, as in life
    run = ConsoleRun(
        db_path=tmp_path / "plein.db",
        storage_url=storage_url,
        env={f"PLEIN_{section}__ENABLED": "false" for section in quiet},
    )
    plein, adapter, out = await run.start()
    failed: list[Contributed] = []

    async def recognition_down(signal: Contributed) -> None:
        failed.append(signal)
        raise RuntimeError("recognition store unavailable")

    plein.kit.signals.subscribe(Contributed, recognition_down)
    adapter.lines = [
        "join anna",
        "join bob",
        'anna: /poll "Welke dag?" Ma Di',
        "bob picks #1 Di",
        "anna: /poll results 1",
    ]
    await plein.run()

    actions = [json.loads(line) for line in out.getvalue().splitlines()]
    [poll] = [a for a in actions if a["action"] == "post" and "Welke dag?" in a["text"]]
    assert poll["ref"] == "1"
    votes = [s for s in failed if s.kind is ContributionKind.VOTE]
    assert [(s.member_id, s.ref) for s in votes] == [("console:bob", poll["ref"])]
    # The voter hears the normal confirmation, nobody hears "something went wrong" ...
    assert plein.t("polls.vote.single", id=1, choice="Di") in texts(actions, "dm", "bob")
    assert plein.t("core.error") not in texts(actions)
    # ... the vote is stored (the manager's results name bob) and the failure is in the log.
    [results] = [t for t in texts(actions, "dm", "anna") if t.startswith("📊 Poll #1")]
    assert "Di: @bob" in results
    logged = [r for r in caplog.records if r.name == "plein.signals"]
    assert logged and all("Contributed" in r.getMessage() for r in logged)
