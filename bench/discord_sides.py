"""The two bots of bench/discord_ingest.py, each run in its own child process.

    python bench/discord_sides.py plein|plain --api URL --gateway URL --guild ID --targets W,T

A side connects to the fake Discord (run by the parent), prints one JSON line per milestone on
stdout and exits when a line arrives on stdin: {"ready": ...} once connected, then {"reached": target, ...} each time the
number of *done* events reaches a target (Plein: contribution rows in the database; plain: messages
received), and a last {"final": count, "max_rss_mib": ...}. PLEIN_BENCH_PROFILE=FILE writes a
cProfile of the Plein side to FILE. Times are `time.perf_counter()`, the
system's monotonic clock, so the parent can compare them with its own.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import pstats
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

POLL_SECONDS = 0.02


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(**fields: Any) -> None:
    print(json.dumps({**fields, "at": time.perf_counter(), "cpu": cpu_seconds()}), flush=True)


async def follow(count: Any, targets: list[int], stall: float) -> int:
    """Report each target as `count()` reaches it; give up after `stall` s without progress."""
    last, last_change = -1, time.perf_counter()
    pending = list(targets)
    while pending:
        done = await count()
        now = time.perf_counter()
        while pending and done >= pending[0]:
            report(reached=pending.pop(0))
        if done != last:
            last, last_change = done, now
        elif now - last_change > stall:
            break
        await asyncio.sleep(POLL_SECONDS)
    return int(await count())


BENCH_OWN = {
    "PLEIN_STORAGE__URL",
    "PLEIN_DISCORD__TOKEN",
    "PLEIN_DISCORD__API_BASE_URL",
    "PLEIN_DISCORD__GATEWAY_URL",
    "PLEIN_DISCORD__GUILD_ID",
}


async def run_plein(args: argparse.Namespace) -> None:
    from adapters.discord import DiscordAdapter
    from bot.app import build
    from bot.config import example_text, parse_config
    from storage.migrate_process import open_for_long_run

    db_path = Path(args.directory) / "plein.db"
    env = {
        "PLEIN_STORAGE__URL": f"sqlite:///{db_path}",
        "PLEIN_DISCORD__TOKEN": "fake-token",
        "PLEIN_DISCORD__API_BASE_URL": args.api,
        "PLEIN_DISCORD__GATEWAY_URL": args.gateway,
        "PLEIN_DISCORD__GUILD_ID": args.guild,
        "PLEIN_DISCORD__MESSAGE_CONTENT": "true",
        # settings to try, e.g. PLEIN_DISCORD__DEFER_AFTER=0.2 (not the storage or the endpoints)
        **{k: v for k, v in os.environ.items() if k.startswith("PLEIN_") and k not in BENCH_OWN},
    }
    config = parse_config(example_text(), "<bench>", env)
    stages = None
    if args.stages:
        from bench.discord_stages import Stages

        stages = Stages()
        stages.install()
    adapter = DiscordAdapter(
        config, guild_ready_timeout=0.05, identify_delay=0, exit_on_refusal=False
    )
    db = await open_for_long_run(config.storage.url)  # as `plein run` does for Discord
    plein = await build(config, adapter, db=db)
    plein.tune_gc = True  # as `plein run` does for Discord
    task = asyncio.create_task(plein.run())
    await adapter.connected.wait()
    watcher = asyncio.create_task(stages.watch_loop()) if stages is not None else None
    report(ready=True)
    reader = sqlite3.connect(db_path, check_same_thread=False)

    async def count() -> int:
        def rows() -> int:
            return int(
                reader.execute(
                    "SELECT count(*) FROM contributions WHERE kind IN ('message', 'reply')"
                ).fetchone()[0]
            )

        return await asyncio.to_thread(rows)

    final = await follow(count, args.targets, args.stall)
    reader.close()
    report(final=final, max_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    await asyncio.to_thread(sys.stdin.readline)  # the parent says when (interactions in flight)
    if stages is not None and watcher is not None:
        watcher.cancel()
        stages.write(Path(args.stages))
    await adapter.stop()
    await asyncio.wait_for(task, 30)


async def run_plain(args: argparse.Namespace) -> None:
    """A discord.py client that does nothing but count messages (and ack interactions)."""
    import discord

    from adapters.discord.client import intents_for
    from adapters.discord.seams import endpoints

    received = 0
    ready = asyncio.Event()

    class Plain(discord.Client):
        async def on_ready(self) -> None:
            ready.set()

        async def on_message(self, message: discord.Message) -> None:
            nonlocal received
            received += 1

        async def on_interaction(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message("ok", ephemeral=True)

    async def count() -> int:
        return received

    with endpoints(args.api, args.gateway):
        client = Plain(intents=intents_for(True))
        async with client:
            runner = asyncio.create_task(client.start("fake-token"))
            await ready.wait()
            report(ready=True)
            final = await follow(count, args.targets, args.stall)
            report(
                final=final, max_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            )
            await asyncio.to_thread(sys.stdin.readline)
            await client.close()
            await runner


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("side", choices=("plein", "plain"))
    parser.add_argument("--api", required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--guild", required=True)
    parser.add_argument("--targets", type=lambda s: [int(n) for n in s.split(",")], required=True)
    parser.add_argument("--stall", type=float, default=15.0)
    parser.add_argument("--stages", default=None, help="FILE: per-interaction stage times")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("discord.client").setLevel(logging.ERROR)  # no voice libraries: fine
    profile = os.environ.get("PLEIN_BENCH_PROFILE")
    profiler = cProfile.Profile() if profile and args.side == "plein" else None
    with tempfile.TemporaryDirectory() as tmp:
        args.directory = tmp
        if profiler is not None:
            profiler.enable()
        asyncio.run(run_plein(args) if args.side == "plein" else run_plain(args))
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler).dump_stats(profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
