"""Plein on Discord (discord.py 2.7). See the README, "Plein on Discord"."""

from adapters.discord.adapter import DiscordAdapter, DiscordStartError

__all__ = ["DiscordAdapter", "DiscordStartError"]
