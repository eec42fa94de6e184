from __future__ import annotations

import io
import logging

from bot.features.privacy.logs import configure_logging


def test_secrets_are_masked_in_handler_output() -> None:
    """Slack tokens are masked by the one process-wide redactor, also in SDK child loggers."""
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        configure_logging("WARNING", "text", stream).add(["xoxb-secret-1"])
        logging.getLogger("slack_sdk.web.deep.child").warning("token=%s", "xoxb-secret-1")
        logging.getLogger("plein.slack").warning("token xoxb-secret-1 here")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    assert "xoxb-secret-1" not in stream.getvalue()
    assert stream.getvalue().count("token") == 2
