"""A real Chromium for the dashboard tests: the system's, never a downloaded one.

Without one, the browser tests are skipped with a message saying how to enable them - unless the
environment variable CI is set: there a skipped browser test is a failed one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_ENABLE = (
    "browser tests need a system Chromium and the playwright package (the test extra): "
    "`sudo apt-get install chromium` on Debian/Ubuntu, or set PLEIN_CHROMIUM=/path/to/chromium"
)
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "dashboard"
"""Screenshots of every page (git ignores test-artifacts/)."""


def chromium_path() -> str | None:
    explicit = os.environ.get("PLEIN_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "chromium-headless-shell"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> str:
    """The Chromium to launch; skips (or, under CI, fails) when there is none."""
    path = chromium_path()
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser tests must run: {HOW_TO_ENABLE}")
        pytest.skip(HOW_TO_ENABLE)
    return path
