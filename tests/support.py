"""Test helpers: run the real app with the console adapter on a simulated clock.

Nothing here mocks project code; it is the same path `plein run --script` takes.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from adapters.console import ConsoleAdapter
from bot.app import Plein, build, console_files_dir
from bot.clock import ManualClock
from bot.config import PleinConfig, example_text, parse_config

EXAMPLE_START = "2026-03-23T08:00:00+01:00"


README_TEST_COMMAND = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' "
    "&& pytest -n logical --dist loadgroup"
)
"""The README's second command; `.ci/run` ends with exactly this line."""


def config_from(
    text: str | None = None,
    *,
    db_path: Path | None = None,
    storage_url: str | None = None,
    **env: str,
) -> PleinConfig:
    """The configuration on the database at `storage_url` (the `storage_url` fixture: SQLite or
    PostgreSQL), or on the SQLite file `db_path`; the console's own files sit beside db_path."""
    assert storage_url is not None or db_path is not None, "a storage URL or a SQLite file"
    environ = {"PLEIN_STORAGE__URL": storage_url or f"sqlite:///{db_path}", **env}
    return parse_config(text if text is not None else example_text(), "<test>", environ)


@dataclass
class ConsoleRun:
    """A console community that keeps its database between `run` calls (a restart each time)."""

    db_path: Path
    config_text: str | None = None
    json: bool = True
    env: dict[str, str] = field(default_factory=dict)
    storage_url: str | None = None
    """None: the SQLite file db_path."""

    @property
    def url(self) -> str:
        """The storage URL this community runs on (SQLite or PostgreSQL)."""
        return self.storage_url or f"sqlite:///{self.db_path}"

    @property
    def state_path(self) -> Path:
        return self.db_path.with_suffix(".console.json")

    @property
    def files_dir(self) -> Path:
        return console_files_dir(self.config()) or self.db_path.parent

    def config(self) -> PleinConfig:
        return config_from(
            self.config_text, db_path=self.db_path, storage_url=self.storage_url, **self.env
        )

    async def start(
        self, start: str | datetime = EXAMPLE_START
    ) -> tuple[Plein, ConsoleAdapter, io.StringIO]:
        moment = datetime.fromisoformat(start) if isinstance(start, str) else start
        out = io.StringIO()
        config = self.config()
        adapter = ConsoleAdapter(
            config,
            lines=[],
            out=out,
            json_output=self.json,
            state_path=self.state_path,
            files_dir=self.files_dir,
        )
        plein = await build(config, adapter, clock=ManualClock(moment))
        return plein, adapter, out

    async def run(self, script: str, start: str | datetime = EXAMPLE_START) -> list[Any]:
        """Run a whole script like `plein run --script`; return JSON objects (or text lines)."""
        moment = datetime.fromisoformat(start) if isinstance(start, str) else start
        out = io.StringIO()
        config = self.config()
        adapter = ConsoleAdapter(
            config,
            lines=script.strip("\n").splitlines(),
            out=out,
            json_output=self.json,
            state_path=self.state_path,
            files_dir=self.files_dir,
        )
        plein = await build(config, adapter, clock=ManualClock(moment))
        await plein.run()
        lines = out.getvalue().splitlines()
        return [json.loads(line) for line in lines] if self.json else lines


async def all_rows(storage_url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of a plain SQL query on either backend (through the storage layer's engine)."""
    from sqlalchemy import text

    from storage.db import Database

    db = Database.from_url(storage_url)
    try:
        async with db.connect() as conn:
            return [tuple(row) for row in await conn.execute(text(sql), params)]
    finally:
        await db.close()


async def one_row(storage_url: str, sql: str, **params: Any) -> tuple[Any, ...]:
    [row] = await all_rows(storage_url, sql, **params)
    return row


def texts(
    actions: list[dict[str, Any]], action: str | None = None, member: str | None = None
) -> list[str]:
    return [
        a["text"]
        for a in actions
        if (action is None or a["action"] == action)
        and (member is None or a.get("member") == member)
    ]
