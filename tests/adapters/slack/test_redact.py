from __future__ import annotations

import io
import logging

from adapters.slack.redact import install_redaction


def test_secrets_are_masked_in_handler_output() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        redactor = install_redaction(["xoxb-secret-1"])
        logging.getLogger("slack_sdk.web.deep.child").warning("token=%s", "xoxb-secret-1")
        logging.getLogger("plein.slack").warning("token xoxb-secret-1 here")
    finally:
        root.removeHandler(handler)
        handler.removeFilter(redactor)
    assert "xoxb-secret-1" not in stream.getvalue()
    assert stream.getvalue().count("token") == 2
