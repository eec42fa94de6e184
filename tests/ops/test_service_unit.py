"""`plein service unit` prints a systemd unit that runs this install the way the CLI expects."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
from pathlib import Path

from bot import cli
from bot.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def unit(tmp_path: Path, *args: str) -> configparser.ConfigParser:
    (tmp_path / "plein.toml").write_text(
        (ROOT / "config.example.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = subprocess.run(
        [sys.executable, "-m", "bot", "service", "unit", "--config", "plein.toml", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.optionxform = str  # type: ignore[assignment,method-assign]
    parsed.read_string(out.stdout)
    return parsed


def test_the_unit_runs_plein_with_reload_restart_and_secrets_from_a_file(tmp_path: Path) -> None:
    parsed = unit(tmp_path, "--user", "plein", "--env-file", "/etc/plein/plein.env")
    service = parsed["Service"]
    assert service["User"] == "plein"
    assert service["WorkingDirectory"] == str(tmp_path)
    assert service["EnvironmentFile"] == "-/etc/plein/plein.env"
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == str(cli.EXIT_CONFIG)
    start = shlex.split(service["ExecStart"])
    run_args = start[start.index("run") :]
    args = build_parser().parse_args(run_args)
    assert args.command == "run" and Path(args.config) == tmp_path / "plein.toml"
    assert parsed["Install"]["WantedBy"] == "multi-user.target"


def test_the_environment_file_defaults_to_beside_the_config(tmp_path: Path) -> None:
    service = unit(tmp_path)["Service"]
    assert service["EnvironmentFile"] == f"-{tmp_path / 'plein.env'}"
