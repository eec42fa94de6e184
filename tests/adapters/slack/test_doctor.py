"""`plein doctor` against the fake Slack, asked while Plein runs (as on a live install): set up
right every check passes; each way of setting it up wrong gets one line saying what to do."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli import doctor
from bot.config import PleinConfig
from tests.adapters.slack.harness import ANNA, SlackRun
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.support import config_from

CONFIG = """
[community]
name = "Buurtclub"
language = "en"
timezone = "Europe/Amsterdam"
managers = []
welcome_channel = "welkom"
default_channel = "algemeen"
managers_channel = "bestuur"
"""


def doctor_config(run: SlackRun, **env: str) -> PleinConfig:
    base = {
        "PLEIN_SLACK__BOT_TOKEN": BOT_TOKEN,
        "PLEIN_SLACK__APP_TOKEN": APP_TOKEN,
        "PLEIN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "PLEIN_SLACK__API_BASE_URL": run.fake.api_url,
        "PLEIN_SLACK__MODE": run.mode,
        "PLEIN_COMMUNITY__MANAGERS": json.dumps([ANNA]),
    }
    return config_from(
        CONFIG, db_path=run.tmp_path / "plein.db", storage_url=run.storage_url, **{**base, **env}
    )


async def ask(
    run: SlackRun, capsys: pytest.CaptureFixture[str], **env: str
) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = await doctor(doctor_config(run, **env))
    return code, capsys.readouterr().out.splitlines()


def problems(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("TO DO")]


@pytest.fixture
async def running(tmp_path: Path, storage_url: str) -> AsyncIterator[SlackRun]:
    run = await SlackRun(
        tmp_path, storage_url=storage_url, mode="socket", config_text=CONFIG
    ).start()
    try:
        yield run
    finally:
        await run.stop()


async def test_a_workspace_set_up_right_passes_every_check(
    running: SlackRun, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = await ask(running, capsys)
    assert code == 0, lines
    assert lines == [
        "OK     Slack bot token valid",
        "OK     Bot scopes match 'plein slack manifest'",
        "OK     Channel #algemeen found and Plein is a member",
        "OK     Channel #welkom found and Plein is a member",
        "OK     Channel #bestuur found and Plein is a member",
        "OK     Socket Mode connection allowed (app token)",
        "OK     Database reachable and migrated",
        "All checks passed.",
    ]


async def test_a_rejected_bot_token(running: SlackRun, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = await ask(running, capsys, PLEIN_SLACK__BOT_TOKEN="xoxb-revoked")
    assert code == 1
    assert problems(lines) == [
        "TO DO  Slack bot token valid: Slack refused the bot token (invalid_auth); copy the Bot "
        "User OAuth Token from OAuth & Permissions into PLEIN_SLACK__BOT_TOKEN"
    ]


async def test_a_scope_missing_from_the_installed_app(
    running: SlackRun, capsys: pytest.CaptureFixture[str]
) -> None:
    running.fake.scopes.remove("reactions:write")
    code, lines = await ask(running, capsys)
    assert code == 1
    assert len(problems(lines)) == 1
    assert "missing scopes: reactions:write;" in problems(lines)[0]


async def test_the_manager_usergroup_needs_its_scope(
    running: SlackRun, capsys: pytest.CaptureFixture[str]
) -> None:
    running.fake.scopes.remove("usergroups:read")
    code, lines = await ask(running, capsys)
    assert code == 0, lines
    code, lines = await ask(running, capsys, PLEIN_SLACK__MANAGER_USERGROUP="S0BESTUUR")
    assert code == 1
    assert "missing scopes: usergroups:read;" in problems(lines)[0]


async def test_plein_not_invited_to_the_managers_channel(
    running: SlackRun, capsys: pytest.CaptureFixture[str]
) -> None:
    running.fake.not_member.add("C0BESTUUR")
    code, lines = await ask(running, capsys)
    assert code == 1
    assert problems(lines) == [
        "TO DO  Channel #bestuur found and Plein is a member: Plein is not a member; "
        "type /invite @plein in the channel"
    ]


async def test_a_channel_that_does_not_exist(
    running: SlackRun, capsys: pytest.CaptureFixture[str]
) -> None:
    del running.fake.channels["C0WELKOM"]
    code, lines = await ask(running, capsys)
    assert code == 1
    assert "there is no channel called welkom" in problems(lines)[0]


async def test_a_rejected_app_token(running: SlackRun, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = await ask(running, capsys, PLEIN_SLACK__APP_TOKEN="xapp-revoked")
    assert code == 1
    assert problems(lines) == [
        "TO DO  Socket Mode connection allowed (app token): Slack refused the app token "
        "(invalid_auth); create an app-level token with connections:write and enable Socket Mode"
    ]


async def test_an_unmigrated_database(
    running: SlackRun, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fresh = tmp_path / "elsewhere.db"
    fresh.touch()
    code, lines = await ask(running, capsys, PLEIN_STORAGE__URL=f"sqlite:///{fresh}")
    assert code == 1
    assert problems(lines)[0].startswith(
        "TO DO  Database reachable and migrated: database is empty, not yet migrated to "
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_http_mode_asks_the_public_url(
    tmp_path: Path, storage_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http", config_text=CONFIG).start()
    try:
        assert run.adapter is not None
        up = f"http://127.0.0.1:{run.adapter.http_port}"
        code, lines = await ask(run, capsys, PLEIN_SLACK__PUBLIC_URL=up)
        assert code == 0, lines
        assert "OK     Public URL answers (HTTP mode)" in lines
        down = f"http://127.0.0.1:{closed_port()}"
        code, lines = await ask(run, capsys, PLEIN_SLACK__PUBLIC_URL=down)
        assert code == 1
        assert problems(lines)[0].startswith(
            f"TO DO  Public URL answers (HTTP mode): no answer from {down}/slack/events"
        )
        code, lines = await ask(run, capsys)
        assert "set slack.public_url" in problems(lines)[0]
    finally:
        await run.stop()
