"""A protocol-level fake Discord (REST + gateway) for the real discord.py client."""

from tests.fakes.discord.server import Call, FakeDiscord

__all__ = ["Call", "FakeDiscord"]
