"""`[discord] shard_count` / `shard_ids`: mistakes named with file, line and key, in the
community's language; SQLite (one process) must hold every shard."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import load_checked
from bot.config import ConfigError
from bot.config.loader import example_text


def written(tmp_path: Path, discord_lines: str, storage: str, language: str = "nl") -> Path:
    text = example_text().replace('language = "nl"', f'language = "{language}"', 1)
    text = text.replace("[discord]\n", f"[discord]\n{discord_lines}\n", 1)
    text = text.replace('url = "sqlite:///plein.db"', f'url = "{storage}"', 1)
    path = tmp_path / "plein.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(key))


def test_unknown_and_repeated_shards_are_named_in_dutch_with_their_line(tmp_path: Path) -> None:
    path = written(
        tmp_path, 'guild_id = "1"\nshard_count = 2\nshard_ids = [1, 2, 1]', "postgresql://x/y"
    )
    with pytest.raises(ConfigError) as raised:
        load_checked(str(path))
    where = f"{path}:{line_of(path, 'shard_ids')}: discord.shard_ids: "
    assert raised.value.lines() == [
        where + "shard 2 bestaat niet: met shard_count = 2 lopen de shards van 0 tot en met 1",
        where + "shard 1 staat er twee keer in",
    ]


def test_sqlite_refuses_a_process_with_only_some_shards(tmp_path: Path) -> None:
    db = tmp_path / "plein.db"
    path = written(tmp_path, "shard_count = 2\nshard_ids = [0]", f"sqlite:///{db}", "en")
    with pytest.raises(ConfigError) as raised:
        load_checked(str(path))
    problems = "\n".join(raised.value.lines())
    assert "on SQLite Plein runs as one process, which must hold every shard (0 to 1)" in problems
    assert "discord.guild_id: needed when this process holds only some shards" in problems


def test_ids_without_a_count_are_refused(tmp_path: Path) -> None:
    path = written(tmp_path, "shard_ids = [0]", "postgresql://x/y", "en")
    with pytest.raises(ConfigError, match="needs discord.shard_count as well"):
        load_checked(str(path))


def test_every_shard_on_sqlite_and_some_on_postgresql_are_fine(tmp_path: Path) -> None:
    db = tmp_path / "plein.db"
    load_checked(str(written(tmp_path, "shard_count = 2\nshard_ids = [1, 0]", f"sqlite:///{db}")))
    some = written(tmp_path, 'guild_id = "1"\nshard_count = 2\nshard_ids = [1]', "postgresql://x/y")
    assert load_checked(str(some)).discord.shard_ids == [1]
    assert load_checked(str(written(tmp_path, "", f"sqlite:///{db}"))).discord.shard_count is None
