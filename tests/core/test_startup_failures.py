"""Issue 15: a network or settings failure at start is one clear line and a non-zero exit, never
a traceback; helper commands refuse what cannot work."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMUNITY = '[community]\nname = "Testclub"\n'


def closed_port() -> int:
    """A local port nobody listens on: connecting fails at once, without a network."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def plein(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, toml: str = ""
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "plein.toml").write_text(COMMUNITY + toml, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLEIN_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        # a port of its own: two `plein run` of these tests at once must not meet on 8080
        env={
            **clean,
            "PYTHONPATH": str(ROOT),
            "PLEIN_WEB__PORT": str(closed_port()),
            **(env or {}),
        },
    )


def one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert any(all(word in line for word in expected) for line in result.stderr.splitlines()), (
        result.stderr
    )


def test_discord_unreachable_at_start(tmp_path: Path) -> None:
    toml = f'[discord]\napi_base_url = "http://127.0.0.1:{closed_port()}/api/v10"\n'
    result = plein(tmp_path, "run", env={"PLEIN_DISCORD__TOKEN": "not-a-real-token"}, toml=toml)
    one_clear_line(result, "cannot reach Discord", "discord.api_base_url")


def test_slack_without_tokens(tmp_path: Path) -> None:
    result = plein(tmp_path, "run", "--adapter", "slack")
    one_clear_line(result, "missing Slack settings", "PLEIN_SLACK__BOT_TOKEN")


def test_invite_url_offline_and_with_a_wrong_client_id(tmp_path: Path) -> None:
    toml = f'[discord]\napi_base_url = "http://127.0.0.1:{closed_port()}/api/v10"\n'
    offline = plein(tmp_path, "discord", "invite-url", env={"PLEIN_DISCORD__TOKEN": "t"}, toml=toml)
    one_clear_line(offline, "cannot reach Discord", "--client-id")
    for wrong in ("abc", "123", "https://discord.com/app"):
        result = plein(tmp_path, "discord", "invite-url", "--client-id", wrong)
        one_clear_line(result, "is not a Discord application id")
        assert result.returncode == 2 and not result.stdout
    good = plein(tmp_path, "discord", "invite-url", "--client-id", "123456789012345678")
    assert good.returncode == 0 and "client_id=123456789012345678" in good.stdout


@pytest.mark.parametrize("url", ["", 'public_url = "https://plein.example.net"\n'])
def test_slack_http_manifest_needs_the_public_url(tmp_path: Path, url: str) -> None:
    result = plein(tmp_path, "slack", "manifest", toml='[slack]\nmode = "http"\n' + url)
    if url:
        assert result.returncode == 0 and "https://plein.example.net/slack/events" in result.stdout
    else:
        one_clear_line(result, "slack.public_url", "missing")
        assert "plein.example.org" not in result.stdout


def test_version(tmp_path: Path) -> None:
    result = plein(tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.startswith("plein ")
