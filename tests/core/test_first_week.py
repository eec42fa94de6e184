"""Acceptance (issue 15): a community manager's first week through the real command line, with the
script the README shows: init --yes, check-config, run; a member joins, votes, the manager reads
/report."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_week() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```text first-week\n(.*?)```", text, re.S)
    assert match, "README lost its first-week walkthrough"
    return match.group(1)


def plein(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's code, not an installed copy
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input="",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_a_community_managers_first_week(tmp_path: Path) -> None:
    assert plein("init", "--yes", cwd=tmp_path).returncode == 0
    checked = plein("check-config", "plein.toml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("plein.toml: ok (Mijn community, language nl")
    (tmp_path / "week.txt").write_text(readme_week(), encoding="utf-8")
    ran = plein("run", "--script", "week.txt", "--start", "2026-03-24T09:00", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout
    assert "[error]" not in out and "Traceback" not in ran.stderr
    assert "[dm sanne] #2 plein: Welkom bij Mijn community, @sanne!" in out
    assert "[#algemeen] #3 plein: 📊 Poll #1: Waar wandelen we zaterdag?" in out
    assert "Je stem in poll #1: Heuvelrug" in out
    report = out[out.rindex("[dm beheerder]") :]
    assert "Weekrapport van Mijn community" in report
    assert "Leden: 1 (1 nieuw)" in report
    assert "Polls en stellingen: 1 geopend, 1 lid stemde" in report
