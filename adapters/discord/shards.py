"""Discord's sharding across processes (`[discord] shard_count` / `shard_ids`).

Discord sends a guild's events to one shard, `(guild_id >> 22) % shard_count`. A process runs
discord.py's AutoShardedClient with its own shard ids; the process whose shards include the
community's guild handles its events, the others still do the scheduled work, the web port and
anything else, posting through REST (channels are looked up by name once, over REST).

IDENTIFY is rate limited per bucket, `shard_id % max_concurrency` (GET /gateway/bot's
session_start_limit): one per bucket per identify interval, over all processes of the bot. Before
each IDENTIFY the shard takes its bucket through the host's `identify_buckets` (a PostgreSQL
advisory lock) and keeps it until the interval has passed after its READY, the moment Discord is
known to have taken the IDENTIFY.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord

from adapters.discord.client import ClientOwner, PleinClient
from bot.config.shards import shard_of
from bot.identify import BucketHold, IdentifyBuckets

log = logging.getLogger("plein.discord.shards")

READY_WAIT = 60.0
"""Seconds a bucket stays held waiting for the READY of an IDENTIFY that got no answer (the
socket dropped): discord.py identifies again, and that try takes the bucket anew."""


class IdentifyGate:
    """One IDENTIFY per bucket per `interval`, over every process that shares `buckets`."""

    def __init__(self, buckets: IdentifyBuckets, interval: float) -> None:
        self.buckets = buckets
        self.interval = interval
        self.max_concurrency = 1
        self._ready: dict[int, asyncio.Event] = {}
        self._holding: set[asyncio.Task[None]] = set()

    async def before_identify(self, shard_id: int) -> None:
        bucket = shard_id % self.max_concurrency
        hold = await self.buckets.acquire(bucket)
        ready = self._ready[shard_id] = asyncio.Event()
        task = asyncio.create_task(self._keep(hold, ready))
        self._holding.add(task)
        task.add_done_callback(self._holding.discard)

    def identified(self, shard_id: int) -> None:
        """The shard's READY came: Discord took its IDENTIFY."""
        ready = self._ready.pop(shard_id, None)
        if ready is not None:
            ready.set()

    async def _keep(self, hold: BucketHold, ready: asyncio.Event) -> None:
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ready.wait(), READY_WAIT)
            await asyncio.sleep(self.interval)
        finally:
            await hold.release()

    async def close(self) -> None:
        for task in list(self._holding):
            task.cancel()
        for task in list(self._holding):
            with contextlib.suppress(asyncio.CancelledError):
                await task


class ShardedPleinClient(PleinClient, discord.AutoShardedClient):
    """PleinClient on some or all shards of `shard_count`, identifying through the gate."""

    def __init__(
        self,
        adapter: ClientOwner,
        gate: IdentifyGate,
        *,
        shard_count: int,
        shard_ids: list[int] | None,
        **options: Any,
    ) -> None:
        super().__init__(adapter, shard_count=shard_count, shard_ids=shard_ids, **options)
        self.gate = gate
        self.serves_guild = True
        """Whether the community's guild is on one of this process's shards."""
        self.channel_ids: dict[str, int] = {}
        """Channel name -> id, from REST, when the guild is on another process's shard."""

    async def setup_hook(self) -> None:
        await super().setup_hook()
        limits = await self.fetch_session_start_limits()
        self.gate.max_concurrency = max(1, limits.max_concurrency)
        self._tell_where_the_guild_is()

    def _tell_where_the_guild_is(self) -> None:
        count = self.shard_count or 1
        mine = sorted(self.shard_ids if self.shard_ids is not None else range(count))
        wanted = self.adapter.config.discord.guild_id
        if wanted is None:
            log.info("discord: shards %s of %d in this process", mine, count)
            return
        home = shard_of(int(wanted), count)
        self.serves_guild = home in mine
        if self.serves_guild:
            log.info(
                "discord: shards %s of %d; the community's guild %s is on shard %d: this "
                "process handles its events",
                mine, count, wanted, home,
            )  # fmt: skip
        else:
            log.info(
                "discord: shards %s of %d; the community's guild %s is on shard %d, which "
                "another process runs: this one does the scheduled work and the web, and "
                "receives none of the guild's events",
                mine, count, wanted, home,
            )  # fmt: skip

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        await self.gate.before_identify(shard_id or 0)

    async def on_shard_connect(self, shard_id: int) -> None:
        self.gate.identified(shard_id)

    async def on_ready(self) -> None:
        if not self.serves_guild and not self.channel_ids:
            await self._learn_channels()
        await super().on_ready()

    async def _sync_commands(self) -> None:
        """The process that serves the guild registers the commands; one is enough."""
        if self.serves_guild:
            await super()._sync_commands()

    async def _learn_channels(self) -> None:
        wanted = self.adapter.config.discord.guild_id
        if wanted is None:
            return
        try:
            channels = await self.http.get_all_guild_channels(int(wanted))
        except discord.HTTPException as exc:
            log.warning("could not list the guild's channels: %s %s", exc.status, exc.text)
            return
        for channel in channels:
            if channel.get("type") == discord.ChannelType.text.value:
                self.channel_ids.setdefault(
                    str(channel.get("name", "")).lower(), int(channel["id"])
                )

    async def close(self) -> None:
        await self.gate.close()
        await super().close()


async def open_thread_by_id(
    client: discord.Client, channel_id: int, message_id: int, name: str
) -> None:
    """A thread from a message, over REST: a process whose shards do not carry the guild has
    no guild object, and discord.py's `create_thread` refuses a message without one."""
    await client.http.start_thread_with_message(
        channel_id, message_id, name=name, auto_archive_duration=1440
    )


def make_client(
    adapter: ClientOwner, buckets: IdentifyBuckets, *, identify_delay: float, **options: Any
) -> PleinClient:
    """The plain client by default (one process, one shard); the sharded one when
    `[discord] shard_count` is set."""
    settings = adapter.config.discord
    if settings.shard_count is None:
        return PleinClient(adapter, identify_delay=identify_delay, **options)
    return ShardedPleinClient(
        adapter,
        IdentifyGate(buckets, identify_delay),
        shard_count=settings.shard_count,
        shard_ids=settings.shard_ids,
        identify_delay=identify_delay,
        **options,
    )
