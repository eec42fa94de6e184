"""`plein dashboard link` in its own process, redeemed by the running Plein's dashboard."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import aiohttp

from bot.config import example_text
from tests.dashboard.community import NOW, DashboardCommunity
from tests.dashboard.conftest import dashboard_env
from tests.fakes.discord.server import FakeDiscord
from tests.support import ConsoleRun

ROOT = Path(__file__).resolve().parents[2]


async def plein_cli(*args: str, cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def test_the_printed_link_logs_in_once_on_the_running_dashboard(
    community: DashboardCommunity, discord: FakeDiscord, tmp_path: Path
) -> None:
    (tmp_path / "plein.toml").write_text(example_text(), encoding="utf-8")
    env = {**dashboard_env(discord), "PLEIN_STORAGE__URL": f"sqlite:///{community.db_path}"}
    code, out, err = await plein_cli("dashboard", "link", cwd=tmp_path, env=env)
    assert code == 0, err
    intro, link = out.strip().splitlines()
    assert intro == "Eenmalige inloglink (10 minuten geldig, werkt één keer):"
    assert link.startswith("http://127.0.0.1:8080/dashboard/link/")
    here = link.replace("http://127.0.0.1:8080/dashboard", community.url)

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.post(here) as response:
            assert response.status == 200 and response.url.path == "/dashboard/overview"
        async with session.post(here) as response:
            assert response.status == 403

    code, out, _ = await plein_cli(
        "dashboard",
        "link",
        cwd=tmp_path,
        env={**env, "PLEIN_DASHBOARD__BASE_URL": "https://plein.example.org/"},
    )
    assert code == 0 and out.strip().splitlines()[1].startswith(
        "https://plein.example.org/dashboard/link/"
    )


async def test_a_manager_asks_for_a_link_in_the_community(
    community: DashboardCommunity, discord: FakeDiscord
) -> None:
    run = ConsoleRun(db_path=community.db_path, json=False, env=dashboard_env(discord))
    out = "\n".join(await run.run("anna: /dashboard\nbram: /dashboard", start=NOW))
    links = re.findall(r"http://127\.0\.0\.1:8080/dashboard/link/[\w-]+", out)
    assert len(links) == 1, out  # bram is no manager: no link for him
    assert "deel hem niet" in out
    here = links[0].replace("http://127.0.0.1:8080/dashboard", community.url)
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session,
        session.post(here) as response,
    ):
        assert response.status == 200 and response.url.path == "/dashboard/overview"
