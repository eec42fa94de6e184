"""Slack names its emoji ("tada"); the core speaks unicode ("🎉"). A small two-way table."""

from __future__ import annotations

_NAMES = {
    "👍": "+1",
    "👎": "-1",
    "❤️": "heart",
    "❤": "heart",
    "💚": "green_heart",
    "🎉": "tada",
    "👏": "clap",
    "🙌": "raised_hands",
    "🙏": "pray",
    "✅": "white_check_mark",
    "⭐": "star",
    "🌟": "star2",
    "🔥": "fire",
    "👋": "wave",
    "😀": "grinning",
    "😊": "blush",
    "😂": "joy",
    "🌱": "seedling",
    "🌻": "sunflower",
    "🌳": "deciduous_tree",
    "🏆": "trophy",
    "💡": "bulb",
    "👀": "eyes",
    "🚀": "rocket",
    "💪": "muscle",
    "🤝": "handshake",
    "📅": "date",
    "📊": "bar_chart",
}
_ALIASES = {"thumbsup": "👍", "thumbsdown": "👎", "heart": "❤️"}
_UNICODE = {name: emoji for emoji, name in _NAMES.items() if emoji != "❤"} | _ALIASES


def emoji_to_name(emoji: str) -> str:
    """For reactions.add: '🎉' -> 'tada', ':tada:' -> 'tada'; unknown unicode passes through."""
    emoji = emoji.strip()
    if emoji in _NAMES:
        return _NAMES[emoji]
    return emoji.strip(":")


def emoji_from_name(name: str) -> str:
    """From reaction_added: 'tada' -> '🎉'; skin tones dropped; unknown -> ':name:'."""
    base = name.split("::", 1)[0]
    return _UNICODE.get(base, f":{base}:")
