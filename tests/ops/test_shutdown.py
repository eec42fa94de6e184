"""Graceful shutdown of a real `plein run` process: SIGTERM mid-burst loses nothing accepted."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

from tests.support import one_row

BURST = 2000


def start(
    tmp_path: Path, *args: str, storage_url: str | None = None, **kwargs
) -> subprocess.Popen[str]:
    env = {**os.environ, "PLEIN_STORAGE__URL": storage_url} if storage_url else None
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_sigterm_during_a_burst_loses_none_that_were_accepted(
    tmp_path: Path, storage_url: str
) -> None:
    lines = ["join m1", "join m2"] + [f"m{i % 2 + 1}: bericht {i}" for i in range(BURST)]
    (tmp_path / "burst.txt").write_text("\n".join(lines) + "\n")
    proc = start(
        tmp_path,
        "--script",
        "burst.txt",
        "--json",
        "--start",
        "2026-03-23T08:00",
        "--log-level",
        "INFO",
        storage_url=storage_url,
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(json.loads(line))
        if sum(1 for a in seen if a["action"] == "message") == 40:
            proc.send_signal(signal.SIGTERM)
            break
    rest, stderr = proc.communicate(timeout=15)
    seen += [json.loads(line) for line in rest.splitlines()]
    assert proc.returncode == 0, stderr
    accepted = sum(1 for a in seen if a["action"] == "message")
    assert 40 <= accepted < BURST  # stopped mid-burst
    (members,) = asyncio.run(one_row(storage_url, "SELECT count(*) FROM members"))
    assert members == 2
    query = "SELECT count(*) FROM contributions WHERE kind = 'message'"
    assert asyncio.run(one_row(storage_url, query)) == (accepted,)
    assert 'level=WARNING logger=plein.app msg="shutting down" signal=SIGTERM' in stderr
    assert 'msg="plein stopped"' in stderr


def test_second_signal_exits_at_once_even_when_the_adapter_is_stuck(tmp_path: Path) -> None:
    """An interactive console blocks in input(); the first SIGTERM waits for it, the second
    exits immediately. Also shows the startup summary an interactive operator sees."""
    leader, follower = pty.openpty()
    try:
        proc = start(tmp_path, "--adapter", "console", stdin=follower)
        assert proc.stderr is not None
        summary = [proc.stderr.readline() for _ in range(3)]
        assert summary[0].startswith("Plein ready: Natuurvereniging De Groene Ring on console")
        assert "database: sqlite+aiosqlite:///plein.db" in summary[1]
        assert "scheduled jobs:" in summary[2]
        proc.send_signal(signal.SIGTERM)
        for line in proc.stderr:
            if "shutting down" in line:
                break
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=4)  # well within the 5 s grace the first signal would wait
        assert proc.returncode == 128 + signal.SIGTERM
    finally:
        os.close(leader)
        os.close(follower)
