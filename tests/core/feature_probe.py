"""Build a Plein from some of the listed features and print what it registered, as JSON.

Run in a fresh interpreter by tests/core/test_features.py: the table metadata is process-global,
so only a new process shows which tables a feature set puts on it.
`python -m tests.core.feature_probe DB NAME...` probes one set. `python -m tests.core.feature_probe
--sets DIR` reads `DIR/sets.json` (a list of name lists) and probes each set in a child forked
after the imports (each child still starts with no table registered: feature storage modules are
imported only when a feature is built), writing `DIR/<i>.json`; the first set's database, once
migrated, is copied for the others, as a restart finds a database already at the head revision.
Import and migration were most of 30 fresh interpreters' cost.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import sys
from datetime import datetime
from pathlib import Path

from adapters.console import ConsoleAdapter
from bot.app import build
from bot.clock import ManualClock
from bot.feature_list import FEATURES
from tests.support import EXAMPLE_START, config_from


async def probe(db_path: Path, names: list[str]) -> dict[str, list[str]]:
    from storage.schema import metadata  # after the imports above, before build()

    config = config_from(db_path=db_path)
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO(), json_output=True)
    features = [f for f in FEATURES if f.name in names]
    plein = await build(
        config, adapter, clock=ManualClock(datetime.fromisoformat(EXAMPLE_START)), features=features
    )
    try:
        jobs = plein.kit.jobs
        return {
            "features": sorted(plein.features),
            "commands": sorted(" ".join(spec.path) for spec in plein.commands.all()),
            "jobs": sorted([j.name for j in jobs.recurring] + [s.name for s in jobs.deadlines]),
            "tables": sorted(metadata.tables),
            "catalogs": sorted(
                f.name
                for f in FEATURES
                if all(plein.t.has(key) for key in f.manifest.messages["en"])
            ),
        }
    finally:
        await plein.close()


def _child(db_path: Path, names: list[str], out: Path) -> None:
    """In a forked child: probe, write the answer, and leave without the parent's cleanup."""
    code = 1
    try:
        out.write_text(json.dumps(asyncio.run(probe(db_path, names))), encoding="utf-8")
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def probe_sets(work: Path, parallel: int) -> int:
    sets: list[list[str]] = json.loads((work / "sets.json").read_text(encoding="utf-8"))
    failed = 0
    running: set[int] = set()

    def reap() -> None:
        nonlocal failed
        pid, status = os.wait()
        running.discard(pid)
        failed += os.waitstatus_to_exitcode(status) != 0

    for index, names in enumerate(sets):
        db = work / f"plein{index}.db"
        if index > 0:
            shutil.copyfile(work / "plein0.db", db)
        pid = os.fork()
        if pid == 0:
            _child(db, names, work / f"{index}.json")
        running.add(pid)
        if index == 0:  # the others copy its migrated database
            reap()
        while len(running) >= parallel:
            reap()
    while running:
        reap()
    return failed


if __name__ == "__main__":
    if sys.argv[1] == "--sets":
        sys.exit(1 if probe_sets(Path(sys.argv[2]), os.cpu_count() or 2) else 0)
    print(json.dumps(asyncio.run(probe(Path(sys.argv[1]), sys.argv[2:]))))
