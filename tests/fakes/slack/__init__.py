"""A fake Slack (Web API, response_url hooks, uploads, Socket Mode) for the adapter tests."""

from tests.fakes.slack.server import APP_TOKEN, BOT_TOKEN, BOT_USER, SIGNING_SECRET, Call, FakeSlack

__all__ = ["APP_TOKEN", "BOT_TOKEN", "BOT_USER", "SIGNING_SECRET", "Call", "FakeSlack"]
