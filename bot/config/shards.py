"""Checks of `[discord] shard_count` / `shard_ids` the schema cannot express, told in the
community's language as 'key.path: message' (bot/app.py:semantic_problems adds file and line).

Discord puts a whole guild on one shard, `(guild_id >> 22) % shard_count`, so several processes
with a shard each spread the gateway load of several guilds; the community itself lives on one
shard, in one process. On SQLite Plein runs as one process, which must then hold every shard.
"""

from __future__ import annotations

from collections import Counter

from bot.config.root import PleinConfig
from bot.i18n import Translator, load_catalogs
from bot.locales.discord import MESSAGES


def is_sqlite_url(url: str) -> bool:
    return url.split(":", 1)[0].split("+", 1)[0].lower() == "sqlite"


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends a guild's events to."""
    return (guild_id >> 22) % shard_count


def shard_problems(config: PleinConfig) -> list[str]:
    settings = config.discord
    ids = settings.shard_ids
    if ids is None:
        return []
    t = Translator(config.community.language, load_catalogs([("discord", MESSAGES)]))
    count = settings.shard_count
    if count is None:
        return [f"discord.shard_ids: {t('check.discord.shard_count_missing')}"]
    if not ids:
        return [f"discord.shard_ids: {t('check.discord.shard_ids_empty')}"]
    problems = [
        f"discord.shard_ids: {t('check.discord.shard_out_of_range', shard=shard, count=count, last=count - 1)}"
        for shard in dict.fromkeys(ids)
        if not 0 <= shard < count
    ]
    problems += [
        f"discord.shard_ids: {t('check.discord.shard_twice', shard=shard)}"
        for shard, seen in Counter(ids).items()
        if seen > 1
    ]
    if problems:
        return problems
    if set(ids) != set(range(count)):
        if is_sqlite_url(config.storage.url):
            problems.append(
                f"discord.shard_ids: {t('check.discord.shards_on_sqlite', last=count - 1)}"
            )
        if settings.guild_id is None:
            problems.append(f"discord.guild_id: {t('check.discord.shards_need_guild')}")
    return problems
