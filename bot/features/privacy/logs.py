"""Structured logs (one line per event, key=value or JSON) that never carry a secret.

`configure_logging` installs one stderr handler; `RedactSecrets` rewrites every record that
passes it, replacing configured secret values and anything shaped like a Slack or Discord token.
`OncePerMinute` keeps a failure that repeats (a full disk fails every write) from flooding the log:
one traceback per exception type and place a minute, the next one saying how many were held back.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr

MASK = "[redacted]"
TOKEN_PATTERNS = (
    re.compile(r"\bxox[a-z]-[A-Za-z0-9-]{6,}"),
    re.compile(r"\bxapp-[A-Za-z0-9-]{6,}"),
    re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"),
)
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}
NOISY_LOGGERS = ("alembic", "aiosqlite", "apscheduler", "discord", "slack_bolt", "websockets")


def secret_values(config: BaseModel) -> list[str]:
    """Every SecretStr value in the config, and a password inside the storage URL."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(config)
    storage = getattr(config, "storage", None)
    url = getattr(storage, "url", None)
    if isinstance(url, str):
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        if password:
            found.append(password)
    return sorted({s for s in found if s and len(s) >= 4}, key=len, reverse=True)


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        self.secrets = sorted({*self.secrets, *secrets}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern in TOKEN_PATTERNS:
            text = pattern.sub(MASK, text)
        return text


class RedactSecrets(logging.Filter):
    """Rewrites the record itself, so every handler and formatter after it sees clean text."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the line
            message = f"{record.msg!r} {record.args!r}"
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRS and isinstance(value, str):
                setattr(record, key, self.redact(value))
        return True


class OncePerMinute(logging.Filter):
    """Drops a record whose traceback (exception type + the line that raised it) was already
    logged less than `window` seconds ago; records without a traceback always pass.

    Timing uses a monotonic counter, not the wall clock: it only measures intervals here."""

    def __init__(self, window: float = 60.0, now: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.window = window
        self.now = now
        self._last: dict[tuple[str, str, int], float] = {}
        self._held: dict[tuple[str, str, int], int] = {}

    @staticmethod
    def key(record: logging.LogRecord) -> tuple[str, str, int] | None:
        if not record.exc_info or record.exc_info[1] is None:
            return None
        error = record.exc_info[1]
        trace = error.__traceback__
        while trace is not None and trace.tb_next is not None:
            trace = trace.tb_next
        where = (trace.tb_frame.f_code.co_filename, trace.tb_lineno) if trace else ("", 0)
        return type(error).__qualname__, where[0], where[1]

    def filter(self, record: logging.LogRecord) -> bool:
        key = self.key(record)
        if key is None:
            return True
        moment = self.now()
        last = self._last.get(key)
        if last is not None and moment - last < self.window:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = moment
        held = self._held.pop(key, 0)
        if held:
            record.suppressed_repeats = held
        if len(self._last) > 1000:  # many distinct failures: forget the old ones
            self._last = {k: t for k, t in self._last.items() if moment - t < self.window}
        return True


def _extras(record: logging.LogRecord) -> Iterator[tuple[str, Any]]:
    for key, value in vars(record).items():
        if key not in _STANDARD_ATTRS and not key.startswith("_"):
            yield key, value


def _kv(value: Any) -> str:
    text = str(value)
    if text == "" or any(c in text for c in ' ="\n\t'):
        return json.dumps(text, ensure_ascii=False)
    return text


class KeyValueFormatter(logging.Formatter):
    """ts=... level=INFO logger=plein.app msg="..." key=value ...; one line per record."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        parts = [
            f"ts={stamp}",
            f"level={record.levelname}",
            f"logger={record.name}",
            f"msg={_kv(record.getMessage())}",
        ]
        parts += [f"{key}={_kv(value)}" for key, value in _extras(record)]
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            parts.append(f"exc={_kv(record.exc_text)}")
        return self.redact(" ".join(parts))


class JsonFormatter(logging.Formatter):
    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        data.update({key: value for key, value in _extras(record)})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exc"] = record.exc_text
        return self.redact(json.dumps(data, ensure_ascii=False, default=str))


LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def configure_logging(
    level: str = "WARNING", fmt: str = "text", stream: TextIO | None = None
) -> Redactor:
    """One stderr handler on the root logger; returns the Redactor to add secrets to later."""
    redactor = Redactor()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(OncePerMinute())
    handler.addFilter(RedactSecrets(redactor))
    handler.setFormatter(JsonFormatter(redactor) if fmt == "json" else KeyValueFormatter(redactor))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    numeric = getattr(logging, level.upper(), logging.WARNING)
    root.setLevel(numeric)
    # Libraries speak at INFO when we debug (aiosqlite logs every query at DEBUG), else WARNING.
    library_level = logging.INFO if numeric <= logging.DEBUG else max(numeric, logging.WARNING)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(library_level)
    logging.captureWarnings(True)
    return redactor
