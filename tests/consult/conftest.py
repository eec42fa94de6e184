"""The platform fixtures of tests/adapters, for this area's end-to-end tests."""

from __future__ import annotations

from tests.adapters.discord.conftest import discord_run, fake
from tests.adapters.slack.conftest import slack

__all__ = ["discord_run", "fake", "slack"]
