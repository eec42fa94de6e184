"""Scheduled SQLite backups (`[storage] backup_every`, `backup_keep`): rotating online copies.

Each copy is made like `plein backup` makes one (one snapshot, integrity-checked, renamed into
place) and named after the moment it was taken, so after a restart the newest file tells when the
next one is due: no state of its own, and a restart never doubles or skips a backup.
Only files this rotation wrote (`<database>-<UTC stamp>.db`) are ever removed.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import Clock
from storage.backup import copy_verified

log = logging.getLogger("plein.backup")

STAMP = "%Y%m%dT%H%M%SZ"


@dataclass
class RotatingBackups:
    database: Path
    directory: Path
    every: timedelta
    keep: int
    clock: Clock
    name: str = "storage-backups"

    @property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile(re.escape(self.database.stem) + r"-(\d{8}T\d{6}Z)\.db")

    def existing(self) -> list[tuple[datetime, Path]]:
        """This rotation's backups, oldest first."""
        if not self.directory.is_dir():
            return []
        found = []
        for path in self.directory.iterdir():
            match = self._pattern.fullmatch(path.name)
            if match:
                taken = datetime.strptime(match.group(1), STAMP).replace(tzinfo=UTC)
                found.append((taken, path))
        return sorted(found)

    async def next_due(self) -> datetime | None:
        backups = await asyncio.to_thread(self.existing)
        return backups[-1][0] + self.every if backups else self.clock.now()

    async def run_due(self, now: datetime) -> None:
        target = self.directory / f"{self.database.stem}-{now.astimezone(UTC).strftime(STAMP)}.db"
        await asyncio.to_thread(self.directory.mkdir, parents=True, exist_ok=True)
        pages, size = await asyncio.to_thread(copy_verified, self.database, target)
        removed = await asyncio.to_thread(self.prune)
        log.info(
            "scheduled backup written",
            extra={"file": str(target), "pages": pages, "bytes": size, "removed": len(removed)},
        )

    def prune(self) -> list[Path]:
        """Remove all but the newest `keep` backups; returns what was removed."""
        backups = self.existing()
        old = [path for _, path in backups[: max(len(backups) - self.keep, 0)]]
        for path in old:
            path.unlink(missing_ok=True)
        return old
