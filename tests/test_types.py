"""The type checker is part of the suite: `.ci/run` fails when a module stops type-checking,
for example a store that no longer matches its port (bot/feature_list.py pairs them typed).
Configuration in pyproject.toml: the core (bot/) under --strict's flags, the rest checked too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean() -> None:
    exe = shutil.which("mypy") or str(Path(sys.executable).with_name("mypy"))
    result = subprocess.run(
        [exe, "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
