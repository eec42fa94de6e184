"""`plein matrix login` and `plein doctor` against the real Synapse."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from nio import AsyncClient, WhoamiResponse

from bot.cli import main
from tests.adapters.matrix.harness import Community
from tests.adapters.matrix.synapse_server import Synapse

CONFIG = """
[community]
name = "Buurtclub"
language = "en"
default_channel = "algemeen"
welcome_channel = "algemeen"
managers_channel = "bestuur"
"""


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "plein.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("PLEIN_STORAGE__URL", f"sqlite:///{tmp_path / 'plein.db'}")
    return path


async def whoami(url: str, token: str) -> str:
    client = AsyncClient(url)
    client.access_token = token
    try:
        answer = await client.whoami()
    finally:
        await client.close()
    assert isinstance(answer, WhoamiResponse), answer
    return str(answer.user_id)


def test_login_prints_a_token_that_works(
    synapse: Synapse,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bot = synapse.register("plein-login")
    monkeypatch.setattr("sys.stdin", io.StringIO(bot["password"] + "\n"))
    args = ["matrix", "login", "--config", str(config_file), "--homeserver", synapse.url]
    assert main([*args, "--user", bot["user_id"]]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == f"Logged in as {bot['user_id']}. Put this in the environment (never in plein.toml):"
    )
    token = out[1].removeprefix("PLEIN_MATRIX__ACCESS_TOKEN=")
    assert asyncio.run(whoami(synapse.url, token)) == bot["user_id"]
    assert bot["password"] not in "".join(out)

    monkeypatch.setattr("sys.stdin", io.StringIO("wrong password\n"))
    assert main([*args, "--user", bot["user_id"]]) == 3
    captured = capsys.readouterr()
    assert "refused the login" in captured.err
    assert "Traceback" not in captured.err


def test_doctor_names_each_room_to_fix(
    synapse: Synapse,
    config_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    community = Community(synapse, tmp_path)

    async def rooms() -> None:
        await community.create(encrypted=("bestuur",))
        await community.owner.close()
        bot = AsyncClient(synapse.url, community.bot_id)
        bot.access_token = community.bot["access_token"]
        await bot.join(community.rooms["bestuur"])
        await bot.close()

    asyncio.run(rooms())
    # algemeen: Plein is only invited (not joined yet); bestuur: joined but encrypted.
    mapped = {name: community.rooms[name] for name in ("algemeen", "bestuur")}
    monkeypatch.setenv("PLEIN_MATRIX__HOMESERVER", synapse.url)
    monkeypatch.setenv("PLEIN_MATRIX__ACCESS_TOKEN", community.bot["access_token"])
    monkeypatch.setenv("PLEIN_MATRIX__ROOMS", json.dumps(mapped))
    assert main(["db", "upgrade", "--config", str(config_file)]) == 0
    capsys.readouterr()
    assert main(["doctor", "--config", str(config_file)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "OK     Matrix homeserver reachable"
    assert out[1] == "OK     Matrix access token accepted"
    assert out[2] == (
        "TO DO  Matrix room algemeen joined and unencrypted: "
        f"invite {community.bot_id} to {mapped['algemeen']}"
    )
    assert out[3] == (
        "TO DO  Matrix room bestuur joined and unencrypted: "
        f"{mapped['bestuur']} is end-to-end encrypted; Plein needs an unencrypted room"
    )
    assert "OK     Database reachable and migrated" in out


def test_doctor_without_a_token_says_how_to_get_one(
    synapse: Synapse,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PLEIN_MATRIX__HOMESERVER", synapse.url)
    monkeypatch.setenv("PLEIN_MATRIX__ACCESS_TOKEN", "not-a-token")
    assert main(["doctor", "--config", str(config_file)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("TO DO  Matrix access token accepted: the homeserver refused")
    assert "plein matrix login" in out[1]
