from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import ConsoleRun

QUIET = {
    f"PLEIN_{section}__ENABLED": "false"
    for section in ("ONBOARDING", "CALENDAR", "RECOGNITION", "SPOTLIGHT", "REPORT")
}


@pytest.fixture
def console(tmp_path: Path, storage_url: str) -> ConsoleRun:
    """The example community with only polls speaking, so message refs are predictable."""
    return ConsoleRun(db_path=tmp_path / "plein.db", env=dict(QUIET), storage_url=storage_url)


def posts(out: list[dict[str, Any]], action: str = "post") -> list[dict[str, Any]]:
    return [a for a in out if a["action"] == action]
