"""Run the real Plein with the Slack adapter in HTTP mode, for the fault tests.

    python -m tests.faults.runner STORAGE_URL API_URL [http|socket]

The Slack settings come from the fake's constants; the port is chosen by the OS and printed as
`PORT <n>` on stdout once Plein is ready, so the test can send to it (and SIGKILL it). In Socket
Mode Plein connects to the fake's socket instead and prints `PORT 0`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys

from adapters.slack import SlackAdapter
from bot.app import build
from bot.runtime import ShutdownSignals
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from tests.support import config_from

MANAGER = "UANNA001"


async def main(storage_url: str, api_url: str, mode: str = "http") -> None:
    config = config_from(
        storage_url=storage_url,
        PLEIN_SLACK__BOT_TOKEN=BOT_TOKEN,
        PLEIN_SLACK__SIGNING_SECRET=SIGNING_SECRET,
        PLEIN_SLACK__API_BASE_URL=api_url,
        PLEIN_SLACK__APP_TOKEN=APP_TOKEN,
        PLEIN_SLACK__MODE=mode,
        PLEIN_SLACK__HOST="127.0.0.1",
        PLEIN_SLACK__PORT="0",
        PLEIN_COMMUNITY__MANAGERS=json.dumps([MANAGER]),
        PLEIN_COMMUNITY__LANGUAGE="en",
    )
    adapter = SlackAdapter(config)
    plein = await build(config, adapter)
    running = asyncio.ensure_future(plein.run(drain_seconds=3.0))
    signals = ShutdownSignals(plein.stop, running).install()
    await adapter.connected.wait()
    print(f"PORT {adapter.http_port or 0}", flush=True)
    try:
        await running
    finally:
        signals.remove()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
    asyncio.run(main(sys.argv[1], sys.argv[2], *sys.argv[3:4]))
