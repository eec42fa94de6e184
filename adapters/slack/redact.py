"""Tokens never reach the logs: a filter on the loggers that could print them."""

from __future__ import annotations

import logging
from collections.abc import Iterable

LOGGERS = ("slack_sdk", "slack_bolt", "plein", "aiohttp")
MASK = "xox***"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = {s for s in secrets if s}

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, MASK)
            record.msg, record.args = message, ()
        return True


def install_redaction(secrets: Iterable[str]) -> RedactSecrets:
    """Idempotent per secret set: replaces an earlier Plein filter on the same loggers."""
    redactor = RedactSecrets(secrets)
    # Logger filters do not apply to child loggers' records; handler filters see everything.
    targets: list[logging.Filterer] = [logging.getLogger(name) for name in LOGGERS]
    targets += logging.getLogger().handlers
    for target in targets:
        for old in [f for f in target.filters if isinstance(f, RedactSecrets)]:
            target.removeFilter(old)
        target.addFilter(redactor)
    return redactor
