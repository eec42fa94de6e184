"""The first load after a restart: each page's last figures are kept in the database and served at
once (saying when they were computed) while fresh ones are computed; never when the config changed,
when they are over a day old, or when a member opted out or was forgotten since."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from bot.config.dashboard import PAGES
from tests.dashboard.community import NOW, DashboardCommunity, start_dashboard
from tests.dashboard.conftest import dashboard_env
from tests.dashboard.test_pages_http import figure, log_in, text_of
from tests.fakes.discord.server import FakeDiscord
from tests.report.seed import seed
from tests.support import all_rows

STALE = "nieuwere worden nu berekend"


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        yield client


async def restart(
    running: DashboardCommunity,
    discord: FakeDiscord,
    session: aiohttp.ClientSession,
    after: timedelta,
    **env: str,
) -> DashboardCommunity:
    await running.close()
    again = await start_dashboard(running.db_path, {**dashboard_env(discord), **env})
    # the warm-up at the start (the stored figures are fresh then) ends before time moves on
    await again.plein.features["dashboard"].snapshots.settled()
    again.advance(after)
    session.cookie_jar.clear()
    await log_in(session, again)
    return again


async def add_member(running: DashboardCommunity, name: str) -> None:
    joined = running.plein.kit.clock.now() - timedelta(hours=1)
    row = {"id": f"console:{name}", "name": name, "is_bot": False}
    await seed(
        running.plein.db, "members", [{**row, "first_joined_at": joined, "joined_at": joined}]
    )


async def test_a_restart_serves_the_stored_figures_at_once_then_fresh_ones(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    await log_in(session, community)
    first = {page: (await text_of(session, f"{community.url}/{page}"))[1] for page in PAGES}
    await add_member(community, "kees")  # after the snapshot: only fresh figures count him
    again = await restart(community, discord, session, timedelta(minutes=10))
    try:
        for page in PAGES:
            status, html = await text_of(session, f"{again.url}/{page}")
            assert status == 200 and "worden berekend; deze pagina" not in html, page
            assert "Cijfers van ma 23 mrt" in html and STALE in html, page
            # the stored figures render exactly as the computed ones did (but for the footer)
            assert html.split('<p class="as-of"')[0] == first[page].split('<p class="as-of"')[0]
        _, overview = await text_of(session, f"{again.url}/overview")
        assert figure(overview, "members-present") == "9"
        await again.plein.features["dashboard"].snapshots.settled()
        _, overview = await text_of(session, f"{again.url}/overview")
        assert figure(overview, "members-present") == "10" and STALE not in overview
        stored = await all_rows(
            f"sqlite:///{again.db_path}", "SELECT page FROM dashboard_snapshots"
        )
        assert sorted(page for (page,) in stored) == sorted(PAGES)
    finally:
        await again.close()


@pytest.mark.parametrize(
    ("after", "env"),
    [
        (timedelta(days=1, minutes=1), {}),  # too old to show
        (timedelta(minutes=10), {"PLEIN_COMMUNITY__LANGUAGE": "en"}),
        (timedelta(minutes=10), {"PLEIN_COMMUNITY__TIMEZONE": "Europe/London"}),
        (timedelta(minutes=10), {"PLEIN_RECOGNITION__WINDOW": "30d"}),
    ],
    ids=["a-day-old", "language", "timezone", "ladder"],
)
async def test_stored_figures_of_another_config_or_too_old_are_not_served(
    community: DashboardCommunity,
    discord: FakeDiscord,
    session: aiohttp.ClientSession,
    after: timedelta,
    env: dict[str, str],
) -> None:
    await log_in(session, community)
    await text_of(session, f"{community.url}/overview")
    await add_member(community, "kees")
    again = await restart(community, discord, session, after, **env)
    try:
        _, html = await text_of(session, f"{again.url}/overview")
        assert figure(html, "members-present") == "10"  # computed afresh
    finally:
        await again.close()


async def test_a_member_who_opts_out_after_the_snapshot_is_not_shown_from_it(
    community: DashboardCommunity, discord: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    await log_in(session, community)
    _, html = await text_of(session, f"{community.url}/members")
    assert "console:bram" in html
    at = NOW + timedelta(minutes=1)
    prefs = [{"member_id": "console:bram", "choice": "out", "at": at}]
    await seed(community.plein.db, "spotlight_prefs", prefs)
    _, html = await text_of(session, f"{community.url}/members")  # within the refresh
    assert "bram" not in html
    # ... nor after a restart from the stored snapshot of before (carla opts out in between)
    await seed(
        community.plein.db,
        "spotlight_prefs",
        [{"member_id": "console:carla", "choice": "out", "at": at}],
    )
    again = await restart(community, discord, session, timedelta(minutes=2))
    try:
        _, html = await text_of(session, f"{again.url}/members")
        assert "carla" not in html and "bram" not in html
    finally:
        await again.close()


async def test_forgetting_a_member_drops_every_stored_snapshot(
    community: DashboardCommunity, session: aiohttp.ClientSession
) -> None:
    await log_in(session, community)
    for page in PAGES:
        await text_of(session, f"{community.url}/{page}")
    url = f"sqlite:///{community.db_path}"
    assert len(await all_rows(url, "SELECT page FROM dashboard_snapshots")) == len(PAGES)
    await community.plein.features["privacy"].forget("console:bram", actor="console:bram")
    assert await all_rows(url, "SELECT page FROM dashboard_snapshots") == []
    _, html = await text_of(session, f"{community.url}/members")
    assert "bram" not in html


async def test_every_page_is_computed_and_stored_at_the_start_before_any_visit(
    community: DashboardCommunity,
) -> None:
    await community.plein.features["dashboard"].snapshots.settled()
    stored = await all_rows(
        f"sqlite:///{community.db_path}", "SELECT page, computed_at FROM dashboard_snapshots"
    )
    assert sorted(page for page, _ in stored) == sorted(PAGES)
