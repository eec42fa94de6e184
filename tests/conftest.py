from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import ConsoleRun


@pytest.fixture
def console(tmp_path: Path) -> ConsoleRun:
    """A scripted console community on a fresh SQLite file; `await console.run(script)`."""
    return ConsoleRun(db_path=tmp_path / "plein.db")
