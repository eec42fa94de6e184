"""Without a Synapse the Matrix tests fail in CI with the reason, and are skipped elsewhere with
the reason printed (run in a child pytest whose Synapse cache cannot be created)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TARGET = (
    "tests/adapters/matrix/test_synapse_cli.py::test_doctor_without_a_token_says_how_to_get_one"
)


def child_pytest(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PLEIN_TEST_SYNAPSE_CACHE"] = str(blocker / "cache")
    env["PYTHONPATH"] = str(ROOT)
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", TARGET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("ci", [False, True], ids=["outside-ci", "ci"])
def test_no_synapse_skips_outside_ci_and_fails_in_ci(tmp_path: Path, ci: bool) -> None:
    done = child_pytest(tmp_path, ci)
    assert "a real Synapse homeserver is needed for the Matrix tests" in done.stdout
    assert "cannot create the cache" in done.stdout
    if ci:
        assert done.returncode == 1, done.stdout[-800:]
        assert "1 error" in done.stdout or "1 failed" in done.stdout
    else:
        assert done.returncode == 0, done.stdout[-800:]
        assert "1 skipped" in done.stdout
