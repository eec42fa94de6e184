"""Plein on Discord (discord.py 2.7). See docs/discord.md."""

from adapters.discord.adapter import DiscordAdapter, DiscordStartError

__all__ = ["DiscordAdapter", "DiscordStartError"]
