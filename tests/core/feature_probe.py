"""Build a Plein from some of the listed features and print what it registered, as JSON.

Run in a fresh interpreter (`python -m tests.core.feature_probe DB NAME...`) by
tests/core/test_features.py: the table metadata is process-global, so only a new process shows
which tables a feature set puts on it.
"""

from __future__ import annotations

import asyncio
import io
import json
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


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe(Path(sys.argv[1]), sys.argv[2:]))))
