"""Storage: retention roll-up keeps totals, the fast SQLite path equals the portable Core path,
export and erase cover every table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.features.recognition.ports import ContributionRow
from storage.db import Database
from storage.recognition import SqlRecognitionStore
from storage.recognition_writer import write_rows, write_rows_portable
from tests.recognition.helpers import advance, member, message, running
from tests.support import ConsoleRun, all_rows, one_row


async def snapshot(url: str, *tables: str) -> dict[str, list[tuple[object, ...]]]:
    return {t: sorted(await all_rows(url, f"SELECT * FROM {t}")) for t in tables}


async def aggregates(url: str) -> dict[str, list[tuple[str, int]]]:
    return {
        name: [
            (str(member), int(count))
            for member, count in await all_rows(url, f"SELECT member_id, count FROM {name}")
        ]
        for name in ("contribution_daily", "contribution_weekly")
    }


def moment(value: str | datetime) -> datetime:
    """A timestamp as SQLite (ISO text) or PostgreSQL (a datetime) hands it back, in UTC."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def rows(n: int) -> list[ContributionRow]:
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    out: list[ContributionRow] = []
    for i in range(n):
        at = start + timedelta(hours=7 * i)
        kind = ("message", "reply", "vote")[i % 3]
        out.append((f"m{i % 4}", kind, "algemeen", at, 10 + i, f"r{i}", i % 3, at.date()))
    return out


@pytest.mark.sqlite_file  # compares two SQLite files: the fast path is SQLite's own
async def test_fast_sqlite_path_writes_what_the_portable_path_writes(tmp_path: Path) -> None:
    results = []
    for name, writer in (("fast", write_rows), ("core", write_rows_portable)):
        db = Database.from_url(f"sqlite:///{tmp_path / name}.db")
        await db.migrate()
        async with db.begin() as conn:
            await writer(conn, rows(40))
            await writer(conn, rows(10))  # upserts add up
        await db.close()
        url = f"sqlite:///{tmp_path / name}.db"
        results.append(
            await snapshot(url, "contribution_daily", "contribution_weekly", "contribution_totals")
        )
        raw = await all_rows(url, "SELECT member_id, kind, at, day FROM contributions")
        results[-1]["raw"] = sorted(raw)
    assert results[0] == results[1]


async def test_retention_rolls_up_old_events_and_keeps_totals(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__RAW_RETENTION"] = "30d"
    anna, bob = member("anna"), member("bob")
    async with running(console) as (plein, rec):
        for _day in range(45):
            for who in (anna, bob):
                await plein.dispatch(message(who))
                await plein.dispatch(message(who, thread_of="r1"))
            advance(plein, days=1)
        await rec.writer.flush()
        before = await snapshot(console.url, "contribution_daily", "contribution_totals")
        assert await one_row(console.url, "SELECT count(*) FROM contributions") == (180,)
        await rec.ladder.daily(plein.clock.now())
        after = await snapshot(console.url, "contribution_daily", "contribution_totals")
        remaining = await one_row(console.url, "SELECT count(*), min(at) FROM contributions")
        cutoff = plein.clock.now() - timedelta(days=30)
    assert after["contribution_daily"] == before["contribution_daily"]
    all_time = [r for r in after["contribution_totals"] if r[0] == "all"]
    assert all_time == [r for r in before["contribution_totals"] if r[0] == "all"]
    assert remaining[0] == 4 * 30  # the last 30 days of raw events stay
    assert moment(remaining[1]) >= cutoff


async def test_export_and_erase(console: ConsoleRun) -> None:
    out = await console.run(
        "join anna\njoin bob\n"
        + "bob: Een bericht dat lang genoeg is\n"
        + 'anna: /kudos @bob "voor de foto\'s"\n'
        + 'bob: /kudos @anna "terug bedankt"\n'
        + 'anna: /points give @bob 5 "hulp bij de excursie"\n'
    )
    assert out
    db = Database.from_url(console.url)
    store = SqlRecognitionStore(db)
    exported = await store.export_member("console:bob")
    assert [c["kind"] for c in exported["contributions"]] == [
        "message",
        "kudos_received",
        "adjustment",
    ]
    assert exported["kudos_received"][0]["reason"] == "voor de foto's"
    assert exported["kudos_given"][0]["reason"] == "terug bedankt"
    assert exported["points_adjustments"][0]["amount"] == 5
    assert "anna" not in str(exported["contributions"])
    assert sum(w["count"] for w in exported["weekly_totals"]) == 3
    before = await aggregates(console.url)
    await store.erase_member("console:bob")
    gone = await store.export_member("console:bob")
    assert gone["contributions"] == gone["daily_totals"] == gone["weekly_totals"] == []
    assert gone["kudos_received"] == gone["points_adjustments"] == [] and gone["level"] is None
    assert gone["kudos_given"] == []
    after = await aggregates(console.url)
    # aggregates others need stay, anonymised: same counts, no member id
    for name in ("contribution_daily", "contribution_weekly"):
        assert sum(count for _, count in after[name]) == sum(count for _, count in before[name])
        assert "console:bob" in {member for member, _ in before[name]}
        assert "console:bob" not in {member for member, _ in after[name]}
        assert [member for member, _ in after[name] if member.startswith("erased:")]
    reasons = [r[0] for r in await all_rows(console.url, "SELECT reason FROM kudos")]
    audit = await all_rows(console.url, "SELECT member_id, reason FROM points_adjustments")
    assert reasons == []  # anna's kudos to bob and bob's to anna are both gone
    assert audit[0][0].startswith("erased:") and audit[0][1] is None
    assert (await store.export_member("console:anna"))["kudos_given"] == []
    await db.close()


async def test_personal_data_provider_is_registered(console: ConsoleRun) -> None:
    async with running(console) as (plein, rec):
        assert plein.kit.personal_data.providers()["recognition"] is rec
        await plein.dispatch(message(member("anna")))
        exported = await rec.export_member("console:anna")  # flushes the buffer first
        assert len(exported["contributions"]) == 1
        await rec.erase_member("console:anna")
        assert rec.tracker.messages.remaining("console:anna", plein.clock.now()) is None
