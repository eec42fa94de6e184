"""Members who left are erased after the configured retention period, by the scheduler."""

from __future__ import annotations

from tests.privacy.helpers import cells_mentioning
from tests.support import ConsoleRun, all_rows, texts


async def audit_rows(console: ConsoleRun) -> list[tuple[str, str]]:
    return await all_rows(console.url, "SELECT actor, action FROM privacy_audit ORDER BY id")


async def test_member_who_left_is_erased_after_the_retention_period(console: ConsoleRun) -> None:
    console.env["PLEIN_PRIVACY__ERASE_AFTER_LEAVING"] = "30d"
    await console.run("join xandra\nxandra dm: Zwolle\njoin bob\nleave xandra\nwait 29d")
    assert await cells_mentioning(console.url, "console:xandra")
    await console.run("wait 2d", start="2026-04-21T08:00:00+02:00")
    assert await cells_mentioning(console.url, "xandra") == []
    assert await cells_mentioning(console.url, "zwolle") == []
    assert await audit_rows(console) == [("retention", "forget")]
    assert await cells_mentioning(console.url, "console:bob")  # still a member: kept


async def test_rejoining_before_the_period_keeps_the_member(console: ConsoleRun) -> None:
    console.env["PLEIN_PRIVACY__ERASE_AFTER_LEAVING"] = "30d"
    await console.run("join xandra\nleave xandra\nwait 10d\njoin xandra\nwait 60d")
    assert await cells_mentioning(console.url, "console:xandra")
    assert await audit_rows(console) == []


async def test_retention_survives_a_restart_and_never_means_never(console: ConsoleRun) -> None:
    console.env["PLEIN_PRIVACY__ERASE_AFTER_LEAVING"] = "never"
    await console.run("join xandra\nleave xandra\nwait 400d")
    assert await cells_mentioning(console.url, "console:xandra")
    console.env["PLEIN_PRIVACY__ERASE_AFTER_LEAVING"] = "90d"
    # A later start (the bot was down when the period ended) catches up once ready.
    out = await console.run("join bob", start="2027-06-01T08:00:00+02:00")
    assert await cells_mentioning(console.url, "console:xandra") == []
    assert len(texts(out, "dm", "bob")) == 1


async def test_an_erased_member_who_returns_is_welcomed_as_new(console: ConsoleRun) -> None:
    console.env["PLEIN_PRIVACY__ERASE_AFTER_LEAVING"] = "7d"
    await console.run("join xandra\nleave xandra\nwait 8d")
    out = await console.run("join xandra", start="2026-04-05T08:00:00+02:00")
    assert "Welkom" in texts(out, "dm", "xandra")[0]
