"""The Dockerfile and compose.yaml agree with the CLI and the config, so they cannot drift.

No container engine is needed: the files are read and checked against the real argument parser,
config model and web port. Where `docker info` works, the image is also built.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.cli import build_parser
from bot.config import example_text, parse_config
from ops.web import RESERVED
from storage.db import sqlite_file

ROOT = Path(__file__).resolve().parents[2]


def instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def one(keyword: str) -> str:
    values = [rest for key, rest in instructions() if key == keyword]
    assert len(values) == 1, f"{keyword}: {values}"
    return values[0]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for key, rest in instructions():
        if key == "ENV":
            env |= dict(pair.split("=", 1) for pair in shlex.split(rest))
    return env


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_the_command_is_a_valid_plein_run_with_the_mounted_config() -> None:
    command = [*json.loads(one("ENTRYPOINT")), *json.loads(one("CMD"))]
    assert command[0] == "plein"
    args = build_parser().parse_args(command[1:])
    assert args.command == "run" and args.log_format == "json"
    mounts = [v.split(":") for v in compose()["services"]["plein"]["volumes"]]
    config_mount = next(target for _, target, *_ in mounts if target.endswith(".toml"))
    assert args.config == config_mount


def test_the_image_env_is_valid_config_with_the_database_on_the_volume() -> None:
    env = image_env()
    config = parse_config(
        example_text(), "<image>", {k: v for k, v in env.items() if k.startswith("PLEIN_")}
    )
    volume = json.loads(one("VOLUME"))[0]
    database = sqlite_file(config.storage.url)
    assert database is not None and database.is_relative_to(volume)
    assert Path(config.storage.backup_dir).is_relative_to(volume)
    assert config.web.serves("console") and config.web.bind == "0.0.0.0"
    assert int(one("EXPOSE")) == config.web.port
    assert "plein-data:" + volume in compose()["services"]["plein"]["volumes"]


def test_the_health_check_asks_readyz_on_the_web_port() -> None:
    check = one("HEALTHCHECK")
    port = image_env()["PLEIN_WEB__PORT"]
    assert f"http://127.0.0.1:{port}/readyz" in check and "/readyz" in RESERVED
    published = compose()["services"]["plein"]["ports"]
    assert any(p.endswith(f":{port}:{port}") for p in published)


def test_it_runs_as_a_user_without_root_and_secrets_stay_out_of_the_image() -> None:
    assert one("USER") not in ("root", "0")
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for secret in ("TOKEN", "SIGNING_SECRET", "PASSWORD"):
        assert secret not in " ".join(image_env())
    assert "plein.env" in (ROOT / ".dockerignore").read_text() and "COPY . " not in text
    plein = compose()["services"]["plein"]
    assert plein["env_file"] == "plein.env"
    assert compose()["services"]["postgres"]["profiles"] == ["postgres"]


def test_every_copied_package_is_a_package_of_the_project() -> None:
    copied = {rest.split()[0] for key, rest in instructions() if key == "COPY"}
    packages = {
        p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"
    }
    assert packages <= copied, packages - copied


def _docker_works() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _docker_works(), reason="no container engine here (docker info fails)")
def test_the_image_builds_and_knows_its_command() -> None:
    build = subprocess.run(
        ["docker", "build", "-q", "-t", "plein:test", str(ROOT)], capture_output=True, text=True
    )
    assert build.returncode == 0, build.stderr
    check = subprocess.run(
        ["docker", "run", "--rm", "plein:test", "check-config", "/nonexistent.toml"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 2 and "file not found" in check.stderr
