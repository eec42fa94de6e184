"""Files Plein hands a member in the console (exports, report charts): each owner gets a private
folder (mode 0700) under the community's data folder, and a file is never overwritten, also not
by a second Plein running at the same time (O_EXCL; a taken name gets "-2", "-3", ...)."""

from __future__ import annotations

import itertools
import os
import re
import tempfile
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def safe_name(text: str, fallback: str) -> str:
    cleaned = _UNSAFE.sub("-", Path(text).name).strip(".-")
    return cleaned[:100] or fallback


class PrivateFiles:
    def __init__(self, root: Path | None) -> None:
        self._root = root

    @property
    def root(self) -> Path:
        if self._root is None:
            # No data folder (not SQLite): a fresh folder only this user can read, never a shared one.
            self._root = Path(tempfile.mkdtemp(prefix="plein-files-"))
        return _private(self._root)

    def save(self, owner: str, filename: str, data: bytes) -> Path:
        folder = _private(self.root / safe_name(owner, "plein"))
        name = safe_name(filename, "file")
        stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
        for number in itertools.count(1):
            candidate = name if number == 1 else f"{stem}-{number}{dot}{suffix}"
            path = folder / candidate
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
            except FileExistsError:
                continue
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            return path
        raise AssertionError("unreachable")


def _private(folder: Path) -> Path:
    folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is masked by the umask; an old folder may be open
    return folder
