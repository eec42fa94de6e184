"""The Slack adapter (slack-bolt AsyncApp; Socket Mode or HTTP mode)."""

from adapters.slack.adapter import SlackAdapter

__all__ = ["SlackAdapter"]
