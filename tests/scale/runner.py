"""Run the real Plein with the Slack adapter in HTTP mode on a shared database and a shared
virtual clock, for the chaos test (several of these run at once).

    python -m tests.scale.runner DATABASE_URL API_URL CLOCK_DIR

Prints `PORT <n>` once Plein is ready, as tests/faults/runner.py does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path

from adapters.slack import SlackAdapter
from bot.app import build
from bot.runtime import ShutdownSignals
from tests.fakes.slack import BOT_TOKEN, SIGNING_SECRET
from tests.scale.file_clock import FileClock
from tests.support import config_from

MANAGER = "UANNA001"


async def main(database_url: str, api_url: str, clock_dir: Path) -> None:
    config = config_from(
        db_path=clock_dir / "unused.db",
        PLEIN_STORAGE__URL=database_url,
        PLEIN_SLACK__BOT_TOKEN=BOT_TOKEN,
        PLEIN_SLACK__SIGNING_SECRET=SIGNING_SECRET,
        PLEIN_SLACK__API_BASE_URL=api_url,
        PLEIN_SLACK__MODE="http",
        PLEIN_SLACK__HOST="127.0.0.1",
        PLEIN_SLACK__PORT="0",
        PLEIN_COMMUNITY__MANAGERS=json.dumps([MANAGER]),
        PLEIN_COMMUNITY__LANGUAGE="en",
    )
    adapter = SlackAdapter(config)
    plein = await build(config, adapter, clock=FileClock(clock_dir))
    running = asyncio.ensure_future(plein.run(drain_seconds=3.0))
    signals = ShutdownSignals(plein.stop, running).install()
    await adapter.connected.wait()
    print(f"PORT {adapter.http_port}", flush=True)
    try:
        await running
    finally:
        signals.remove()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3])))
