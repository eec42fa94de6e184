"""The dashboard over real HTTP on the web port (no browser): logins, rights, pages, privacy."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from tests.dashboard.community import (
    EXPECTED,
    HEALTH,
    HOSTILE,
    DashboardCommunity,
    seed_extras,
    start_dashboard,
)
from tests.dashboard.conftest import dashboard_env
from tests.fakes.discord.server import FakeDiscord
from tests.report.seed import seed


@pytest.fixture
async def browser_less() -> AsyncIterator[aiohttp.ClientSession]:
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield session


async def log_in(session: aiohttp.ClientSession, community: DashboardCommunity) -> None:
    link = await community.link()
    async with session.post(link, allow_redirects=False) as response:
        assert response.status == 303
        assert response.headers["Location"] == "/dashboard/overview"


async def text_of(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url, allow_redirects=False) as response:
        return response.status, await response.text()


def figure(html: str, ident: str) -> str:
    match = re.search(rf'id="{ident}">([^<]*)<', html)
    assert match, ident
    return match.group(1)


async def test_a_visitor_is_sent_to_the_login_page(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    for page in ("overview", "health", "calendar", "polls", "members", "stories"):
        async with browser_less.get(f"{community.url}/{page}", allow_redirects=False) as r:
            assert (r.status, r.headers["Location"]) == (303, "/dashboard/login")
    status, html = await text_of(browser_less, f"{community.url}/login")
    assert status == 200
    assert "Inloggen met Discord" in html and "plein dashboard link" in html


async def test_a_one_time_link_logs_in_once_and_the_overview_shows_the_known_figures(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    link = await community.link()
    status, html = await text_of(browser_less, link)  # a chat app's preview fetch
    assert status == 200 and 'id="login-link"' in html
    async with browser_less.post(link, allow_redirects=False) as response:
        assert response.status == 303
    status, html = await text_of(browser_less, f"{community.url}/overview")
    assert status == 200
    assert figure(html, "members-present") == str(EXPECTED["members"])
    assert figure(html, "new-members") == str(EXPECTED["new"])
    assert figure(html, "active-members") == str(EXPECTED["active"])
    assert figure(html, "active-share") == EXPECTED["share"]
    assert re.findall(r'data-goal="([^"]+)" data-state="(\w+)"', html) == [
        ("Elke week nieuwe leden", "behind"),
        ("Een derde van de leden is actief", "on_track"),
        ("Nieuwkomers doen binnen een week mee", "behind"),
        ("Vragen binnen 4 uur beantwoord", "behind"),  # a health metric: 2 of 6 asks
    ]
    assert figure(html, "median-response") == HEALTH["median"]
    assert figure(html, "unanswered") == str(HEALTH["all"][2])
    assert re.search(r'data-metric="answered_share">\s*<td>[^<]*</td>\s*<td>33,3% van 80%', html)
    weeks = re.findall(r'class="week" data-week="[^"]+" data-members="(\d+)"', html)
    assert len(weeks) == 12 and weeks[-1] == "9" and weeks[0] == "0"

    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other,
        other.post(link, allow_redirects=False) as again,
    ):
        assert again.status == 403
        assert "al gebruikt of verlopen" in await again.text()


async def test_a_link_expires_after_ten_minutes(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    link = await community.link()
    community.advance(timedelta(minutes=10, seconds=1))
    async with browser_less.post(link, allow_redirects=False) as response:
        assert response.status == 403
    async with browser_less.post(
        f"{community.url}/link/{'x' * 500}", allow_redirects=False
    ) as response:
        assert response.status == 403  # hostile input: a clear answer, nothing stored


async def test_the_session_cookie_is_signed_httponly_lax_and_expires(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    link = await community.link()
    async with browser_less.post(link, allow_redirects=False) as response:
        cookie = response.headers["Set-Cookie"]
    assert "plein_dashboard=" in cookie
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "path=/dashboard" in cookie.lower() and "secure" not in cookie.lower()
    assert "Max-Age=28800" in cookie

    status, _ = await text_of(browser_less, f"{community.url}/members")
    assert status == 200
    community.advance(timedelta(hours=8, minutes=1))  # the cookie's own expiry aside
    async with browser_less.get(f"{community.url}/members", allow_redirects=False) as response:
        assert response.status == 303


async def test_a_forged_cookie_is_no_login(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    forged = "eyJsb2dpbiI6IHsid2hvIjogImxpbmsiLCAibmFtZSI6ICIiLCAiZ3JhbnQiOiAibGluayIsICJ1bnRpbCI6ICIyMDk5LTAxLTAxVDAwOjAwOjAwKzAwOjAwIn19"
    async with browser_less.get(
        f"{community.url}/overview",
        headers={"Cookie": f"plein_dashboard={forged}.abc.def"},
        allow_redirects=False,
    ) as response:
        assert response.status == 303


async def test_members_page_hides_who_opted_out_and_never_shows_message_text(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    status, html = await text_of(browser_less, f"{community.url}/members")
    assert status == 200
    ladder = re.findall(r'<tr data-member="([^"]+)" data-points="(\d+)">', html)
    # the week's posts, questions and replies, as recognition weighs them
    assert ladder == [("console:bram", "3"), ("console:carla", "3"), ("console:ivo", "2")]
    assert "gijs" not in html
    assert "1 lid wil niet in de spotlight" in html
    assert figure(html, "next-spotlight").startswith("Op dit moment komt niemand")  # no rules
    # accepted yet by anyone, and the example community requires that
    assert "gastvrouw" in html and "fotograaf" not in html
    assert "Goedemorgen" not in html and "Singel?" not in html


async def test_member_text_in_stories_is_never_markup(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    status, html = await text_of(browser_less, f"{community.url}/stories")
    assert status == 200
    assert HOSTILE not in html
    assert "&lt;script&gt;document.title=&#34;owned&#34;&lt;/script&gt;" in html
    assert "De eerste excursie" in html


async def test_the_language_switches_and_follows_the_community_by_default(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    _, html = await text_of(browser_less, f"{community.url}/overview")
    assert '<html lang="nl">' in html and "Overzicht" in html
    async with browser_less.get(
        f"{community.url}/overview?lang=en", allow_redirects=False
    ) as response:
        assert response.headers["Location"] == "/dashboard/overview"
    _, html = await text_of(browser_less, f"{community.url}/overview")
    assert '<html lang="en">' in html and "Overview" in html
    assert figure(html, "active-share") == "44.4%"


async def test_every_page_answers_and_unknown_pages_are_404(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    for page in ("overview", "health", "calendar", "polls", "members", "stories"):
        status, html = await text_of(browser_less, f"{community.url}/{page}")
        assert status == 200, page
        assert 'aria-current="page"' in html
    status, _ = await text_of(browser_less, f"{community.url}/secrets")
    assert status == 404
    async with browser_less.get(f"{community.url}/static/htmx.min.js") as response:
        assert response.status == 200 and "htmx" in await response.text()


async def test_polls_show_results_and_anonymous_ones_only_their_total(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    status, html = await text_of(browser_less, f"{community.url}/polls")
    assert status == 200
    open_part, closed_part = html.split('id="closed-polls"')
    assert "Welke nestkast eerst?" in open_part and "3 stemmen" in open_part
    assert re.findall(r'data-label="(\w+)" data-value="(\d+)"', open_part) == [
        ("Mezenkast", "2"),
        ("Uilenkast", "1"),
    ]
    assert "Katten &#39;s nachts binnen?" in closed_part and "3 stemmen" in closed_part
    assert "alleen het totaal" in closed_part and "data-label" not in closed_part


async def test_calendar_marks_slots_without_a_reachable_host(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    status, html = await text_of(browser_less, f"{community.url}/calendar")
    assert status == 200
    coming, posted = html.split('id="posted"')
    rows = re.findall(r'<tr class="(\w*)">\s*<td>[^<]*</td>\s*<td>([^<]*)</td>', coming)
    assert rows == [("", "Groen in de wijk"), ("unreachable", "Oud thema")]
    assert "carla, daan" in coming and "bram" in coming
    assert 'data-answers="2"' in posted and "Vogels in de stad" in posted


@pytest.fixture
async def behind_https(history: Path, discord: FakeDiscord) -> AsyncIterator[DashboardCommunity]:
    """The same community, configured with a public https address and a public leaderboard."""
    env = {
        **dashboard_env(discord),
        "PLEIN_DASHBOARD__BASE_URL": "https://plein.example.org",
        "PLEIN_DASHBOARD__PUBLIC_PAGES": '["members"]',
        "PLEIN_ONBOARDING__REQUIRE_RULES_ACCEPTANCE": "false",
    }
    running = await start_dashboard(history, env, seed_extras)
    yield running
    await running.close()


async def test_behind_https_the_cookie_is_secure_and_public_pages_need_no_login(
    behind_https: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    status, html = await text_of(browser_less, f"{behind_https.url}/members")
    assert status == 200 and "console:bram" in html and "gijs" not in html
    upcoming = figure(html, "next-spotlight").rsplit(": ", 1)[1]
    assert upcoming in {"bram", "carla", "daan", "eva", "finn", "ivo", "joke"}  # anna manages
    async with browser_less.get(f"{behind_https.url}/overview", allow_redirects=False) as r:
        assert r.status == 303  # only the listed page is public
    async with browser_less.post(await behind_https.link(), allow_redirects=False) as response:
        cookie = response.headers["Set-Cookie"].lower()
    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


async def test_figures_are_a_snapshot_refreshed_in_the_background(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    _, html = await text_of(browser_less, f"{community.url}/overview")
    assert figure(html, "members-present") == "9"
    joined = community.plein.kit.clock.now() - timedelta(hours=1)
    await seed(
        community.plein.db,
        "members",
        [
            {
                "id": "console:kees",
                "name": "kees",
                "is_bot": False,
                "first_joined_at": joined,
                "joined_at": joined,
            }
        ],
    )
    community.advance(timedelta(minutes=4))
    _, html = await text_of(browser_less, f"{community.url}/overview")
    assert figure(html, "members-present") == "9"  # younger than [dashboard] refresh (5m)
    community.advance(timedelta(minutes=2))
    _, html = await text_of(browser_less, f"{community.url}/overview")
    assert figure(html, "members-present") == "9"  # served at once while it is recomputed
    await community.plein.features["dashboard"].snapshots.settled()
    _, html = await text_of(browser_less, f"{community.url}/overview")
    assert figure(html, "members-present") == "10"
    assert "Cijfers van ma 23 mrt" in html


async def test_the_health_page_shows_answers_connections_helpers_cohorts_and_the_chart(
    community: DashboardCommunity, browser_less: aiohttp.ClientSession
) -> None:
    await log_in(browser_less, community)
    status, html = await text_of(browser_less, f"{community.url}/health")
    assert status == 200
    asks = re.findall(
        r'data-asks="(\w+)" data-due="(\d+)" data-within="(\d+)" data-waiting="(\d+)"', html
    )
    assert {kind: tuple(map(int, rest)) for kind, *rest in asks} == {
        k: HEALTH[k] for k in ("question", "first_post", "all")
    }
    assert '<td class="median">3 uur</td>' in html and '<td class="median">2 uur</td>' in html
    assert figure(html, "two-way") == HEALTH["two_way"]
    assert figure(html, "newcomers-connected") == HEALTH["connected"]
    assert re.findall(r'data-helper="([^"]+)"', html) == HEALTH["helpers"]
    assert "gijs" not in html  # he opted out of the spotlight
    assert (figure(html, "promotions"), figure(html, "demotions")) == ("0", "0")
    assert re.findall(r'data-cohort="([^"]+)" data-size="(\d+)"', html) == [
        ("2026-03-16", "2"),
        ("2026-03-02", "8"),
    ]
    assert "komen met de gezondheidscijfers" not in html

    chart = re.search(r'<img id="health-chart" src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert chart
    svg = base64.b64decode(chart.group(1)).decode()
    assert svg.lstrip().startswith("<?xml") and "<script" not in svg
    assert "Participatieladder" in svg and "Actieve leden per week" in svg
    assert "Europe/Amsterdam" in html  # the heatmap's hours are local time

    await text_of(browser_less, f"{community.url}/health?lang=en")
    _, english = await text_of(browser_less, f"{community.url}/health")
    assert "Fast answers" in english and "Newcomers connected within two weeks" in english
    assert figure(english, "newcomers-connected") == "1 of 2 (50%)"
    chart = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', english)
    assert chart and "Participation ladder" in base64.b64decode(chart.group(1)).decode()
