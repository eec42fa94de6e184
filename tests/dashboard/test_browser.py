"""The dashboard in a real Chromium (Playwright): log in by one-time link and by Discord OAuth2
against the fake, open every page, check the known figures, switch language, 403 for a member
without rights. Screenshots of each page land in test-artifacts/dashboard/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.browser import ARGS, ARTIFACTS, require_browser
from tests.dashboard.community import EXPECTED, HEALTH, HOSTILE, DashboardCommunity
from tests.fakes.discord.oauth import OAuthUser, partial_guild
from tests.fakes.discord.server import FakeDiscord
from tests.fakes.slack.openid import SlackSignIn
from tests.fakes.slack.server import TEAM, FakeSlack

PAGES = ("overview", "health", "calendar", "polls", "members", "stories")


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Any]:
    executable = require_browser()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # a new user-data-dir for every test
            executable_path=executable,
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            await context.close()


async def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def test_a_manager_logs_in_with_a_link_and_reads_every_page(
    community: DashboardCommunity, browser: Any
) -> None:
    page = browser.pages[0] if browser.pages else await browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    response = await page.goto(f"{community.url}/overview")
    assert response.url.endswith("/dashboard/login")
    await shoot(page, "login")

    await page.goto(await community.link())
    await page.click("#login-link")
    await page.wait_for_url("**/dashboard/overview")
    assert await page.inner_text("#members-present") == str(EXPECTED["members"])
    assert await page.inner_text("#new-members") == str(EXPECTED["new"])
    assert await page.inner_text("#active-members") == str(EXPECTED["active"])
    assert await page.inner_text("#active-share") == EXPECTED["share"]
    assert await page.locator("#trend g.week").count() == 12
    assert await page.inner_text("#median-response") == HEALTH["median"]
    assert await page.inner_text("#unanswered") == str(HEALTH["all"][2])
    answered = page.locator('#goals tr[data-metric="answered_share"]')
    assert await answered.get_attribute("data-state") == "behind"
    assert await page.evaluate("typeof htmx") == "object"  # the vendored file, no CDN
    await shoot(page, "overview-nl")

    for name in PAGES[1:]:
        await page.click(f"#nav-{name}")  # htmx-boosted navigation
        await page.wait_for_url(f"**/dashboard/{name}")
        await page.wait_for_selector(f'#nav-{name}[aria-current="page"]')
        await shoot(page, name)
        if name == "health":
            assert await page.inner_text("#two-way") == HEALTH["two_way"]
            assert await page.inner_text("#newcomers-connected") == HEALTH["connected"]
            waiting = page.locator('tr[data-asks="question"] td.waiting')
            assert await waiting.inner_text() == str(HEALTH["question"][2])
            helpers = page.locator("#helpers tr[data-helper]")
            assert await helpers.count() == len(HEALTH["helpers"])
            assert await page.locator("#cohorts tr[data-cohort]").count() == 2
            chart = page.locator("#health-chart")  # the report's SVG, drawn by the browser
            assert await chart.evaluate("img => img.complete && img.naturalWidth > 0")
        if name == "members":
            text = await page.inner_text("main")
            assert "gijs" not in text and "bram" in text
        if name == "stories":
            assert HOSTILE in await page.inner_text("main")  # shown as text...
            assert await page.title() != "owned"  # ...never run
        if name == "polls":
            assert await page.locator("#open-polls g[data-label]").count() == 2

    await page.click("#lang-en")
    await page.wait_for_url("**/dashboard/stories")
    assert await page.inner_text("h1") == "Story archive"
    await page.click("#nav-health")
    await page.wait_for_url("**/dashboard/health")
    assert await page.inner_text("#newcomers-connected") == "1 of 2 (50%)"
    assert await page.locator("#health-chart").evaluate("img => img.naturalWidth > 0")
    await shoot(page, "health-en")
    await page.click("#nav-overview")
    await page.wait_for_url("**/dashboard/overview")
    assert await page.inner_text("#active-share") == "44.4%"
    assert await page.inner_text("#median-response") == "2 hours"
    assert await page.get_attribute("html", "lang") == "en"
    await shoot(page, "overview-en")

    await page.click("#logout")
    await page.wait_for_url("**/dashboard/login")
    await page.goto(f"{community.url}/members")
    assert page.url.endswith("/dashboard/login")
    assert problems == []  # no script errors, no Content-Security-Policy refusals


async def test_a_manager_logs_in_with_discord(
    community: DashboardCommunity, discord: FakeDiscord, browser: Any
) -> None:
    discord.consent = OAuthUser(
        "80351110224678912",
        "Nelly",
        [partial_guild(discord.guild_id, "De Groene Ring", owner=True, permissions=36953089)],
    )
    page = await browser.new_page()
    await page.goto(f"{community.url}/login")
    await page.click("#login-discord")
    await page.wait_for_url("**/dashboard/overview")
    assert "Ingelogd als Nelly" in await page.inner_text("header")
    assert await page.inner_text("#members-present") == str(EXPECTED["members"])
    await shoot(page, "overview-after-discord-login")


async def test_a_workspace_admin_signs_in_with_slack(
    slack_community: DashboardCommunity, slack: FakeSlack, browser: Any
) -> None:
    slack.add_user("U0NELLY", "Nelly", is_admin=True)
    slack.signing_in = SlackSignIn("U0NELLY", "Nelly", TEAM)
    page = await browser.new_page()
    await page.goto(f"{slack_community.url}/login")
    await page.click("#login-slack")
    await page.wait_for_url("**/dashboard/overview")
    assert "Ingelogd als Nelly" in await page.inner_text("header")
    assert await page.inner_text("#members-present") == str(EXPECTED["members"])
    cookie = next(c for c in await browser.cookies() if c["name"] == "plein_dashboard")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    await shoot(page, "overview-after-slack-sign-in")


async def test_a_member_without_rights_gets_403_in_the_browser(
    community: DashboardCommunity, discord: FakeDiscord, browser: Any
) -> None:
    discord.consent = OAuthUser(
        "80351110224678914", "bram", [partial_guild(discord.guild_id, "De Groene Ring")]
    )
    page = await browser.new_page()
    await page.goto(f"{community.url}/login")
    async with page.expect_navigation(url="**/login/discord/callback**") as navigation:
        await page.click("#login-discord")
    response = await navigation.value
    assert response.status == 403
    assert "Geen toegang" in await page.inner_text("main")
    await shoot(page, "forbidden")
    await page.goto(f"{community.url}/overview")
    assert page.url.endswith("/dashboard/login")
