"""Structured logs without secrets: a full DEBUG run is grepped for the configured secret values."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.features.privacy.logs import MASK, Redactor, configure_logging, secret_values

SECRETS = {
    "PLEIN_DISCORD__TOKEN": "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.sekrit-discord-token-value-0123456789",
    "PLEIN_SLACK__BOT_TOKEN": "xoxb-1111-2222-sekritslackbot",
    "PLEIN_SLACK__APP_TOKEN": "xapp-1-A111-2222-sekritslackapp",
    "PLEIN_SLACK__SIGNING_SECRET": "sekrit-signing-secret-8f3a",
}


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_full_debug_run_never_logs_a_secret(tmp_path: Path) -> None:
    script = (
        "join anna\nanna: /help\njoin xandra\nxandra dm: Zwolle\nxandra: hallo\n"
        "xandra: /privacy export\nxandra: /privacy forget confirm:yes\nwait 8d\n"
    )
    env = {**os.environ, **SECRETS}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--adapter", "console", "--script", "-"]
        + ["--start", "2026-03-23T08:00", "--log-level", "debug"],
        input=script,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    logs = result.stderr
    assert "level=DEBUG" in logs or "level=INFO" in logs
    assert 'msg="plein ready" adapter=console' in logs
    for value in SECRETS.values():
        assert value not in logs and value not in result.stdout
        for piece in value.split("."):
            if len(piece) > 12:
                assert piece not in logs
    assert "sekrit" not in logs
    # one line per event: every line is a key=value record (tracebacks are folded into exc=)
    assert all(line.startswith("ts=") for line in logs.splitlines())


def test_secret_values_come_from_every_secret_field_and_the_database_password() -> None:
    text = '[community]\nname = "Club"\n'
    config = parse_config(
        text,
        "club.toml",
        {**SECRETS, "PLEIN_STORAGE__URL": "postgresql://plein:hunter2pw@db/plein"},
    )
    values = set(secret_values(config))
    assert set(SECRETS.values()) <= values and "hunter2pw" in values


def test_redaction_covers_args_extras_exceptions_and_token_shapes(restore_logging) -> None:
    stream = io.StringIO()
    redactor = configure_logging("DEBUG", "text", stream)
    redactor.add(["my-configured-secret"])
    log = logging.getLogger("plein.test")
    log.info("token is %s", "my-configured-secret", extra={"header": "Bot my-configured-secret"})
    log.warning("slack said xoxb-123456-abcdef and xapp-1-A1-22-bbb")
    log.debug("discord MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123")
    try:
        raise RuntimeError("failed with my-configured-secret")
    except RuntimeError:
        log.exception("boom")
    out = stream.getvalue()
    assert "my-configured-secret" not in out and "xoxb-123456" not in out
    assert "xapp-1-A1" not in out and "abcdefghijklmnopqrstuvwxyz0123" not in out
    assert out.count(MASK) >= 5
    assert len(out.splitlines()) == 4  # the traceback stays on its record's line


def test_json_lines_format(restore_logging) -> None:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream).add(["s3cr3t-value"])
    logging.getLogger("plein.test").info("hello %s", "s3cr3t-value", extra={"member": "x"})
    logging.getLogger("plein.test").debug("not shown")
    [record] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert record["msg"] == f"hello {MASK}" and record["member"] == "x"
    assert record["level"] == "INFO" and record["logger"] == "plein.test"


def test_redactor_leaves_ordinary_text_alone() -> None:
    redact = Redactor(["abcd1234"])
    assert redact("member console:anna joined #algemeen") == "member console:anna joined #algemeen"


def test_bad_log_level_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--log-level", "LOUD", "--script", "-"],
        cwd=tmp_path,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "--log-level" in result.stderr
