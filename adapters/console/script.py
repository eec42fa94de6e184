"""The console script language, parsed without side effects.

join NAME / leave NAME                 a member joins or leaves
members NAME[:AGO]...                  the community's member list as the platform has it now
                                       (e.g. `members anna bob:400d erik:2h`; AGO = joined that long
                                       ago); Plein syncs its registry with it
NAME: TEXT / NAME #CHANNEL: TEXT       a post (TEXT starting with / is a slash command)
NAME dm: TEXT                          a direct message to the bot
NAME replies REF: TEXT                 a reply to message REF (in its thread)
NAME reacts REF EMOJI                  a reaction
NAME picks REF CHOICE                  click choice CHOICE (1-based number or label)
NAME blocks dms / NAME allows dms      close or open the member's DMs (test the fallback)
wait DURATION                          advance the simulated clock
# comment, blank lines                 ignored
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.timespec import DurationTooLong, parse_duration

NAME = r"[A-Za-z0-9_.\-]+"
MAX_WAIT_DAYS = 3660
"""Ten years of simulated time in one `wait`; far more would overflow the clock's datetime."""
REF = r"#?(\d+)"


@dataclass(frozen=True)
class Join:
    name: str


@dataclass(frozen=True)
class Leave:
    name: str


@dataclass(frozen=True)
class Members:
    """The platform's member list: names, each with how long ago they joined when given."""

    entries: tuple[tuple[str, timedelta | None], ...]


@dataclass(frozen=True)
class Say:
    name: str
    channel: str | None
    text: str


@dataclass(frozen=True)
class Dm:
    name: str
    text: str


@dataclass(frozen=True)
class ReplyTo:
    name: str
    ref: str
    text: str


@dataclass(frozen=True)
class ReactTo:
    name: str
    ref: str
    emoji: str


@dataclass(frozen=True)
class Pick:
    name: str
    ref: str
    choice: str


@dataclass(frozen=True)
class DmSetting:
    name: str
    open: bool


@dataclass(frozen=True)
class Wait:
    duration: timedelta


Line = Join | Leave | Members | Say | Dm | ReplyTo | ReactTo | Pick | DmSetting | Wait


class ScriptError(ValueError):
    pass


_PATTERNS: list[tuple[re.Pattern[str], type]] = [
    (re.compile(rf"^join\s+({NAME})$"), Join),
    (re.compile(rf"^leave\s+({NAME})$"), Leave),
    (re.compile(r"^wait\s+(.+)$"), Wait),
    (re.compile(r"^members((?:\s+\S+)+)$"), Members),
    (re.compile(rf"^({NAME})\s+dm:\s?(.*)$"), Dm),
    (re.compile(rf"^({NAME})\s+replies\s+{REF}:\s?(.*)$"), ReplyTo),
    (re.compile(rf"^({NAME})\s+reacts\s+{REF}\s+(\S+)$"), ReactTo),
    (re.compile(rf"^({NAME})\s+picks\s+{REF}\s+(.+)$"), Pick),
    (re.compile(rf"^({NAME})\s+(blocks|allows)\s+dms$"), DmSetting),
    (re.compile(rf"^({NAME})(?:\s+#([A-Za-z0-9_\-]+))?:\s?(.*)$"), Say),
]


def _wait_duration(text: str) -> timedelta:
    try:
        duration: timedelta | None = parse_duration(text)
    except DurationTooLong:
        duration = None
    except ValueError as exc:
        raise ScriptError(str(exc)) from None
    if duration is None or duration > timedelta(days=MAX_WAIT_DAYS):
        raise ScriptError(f"wait {text.strip()} is too long; at most {MAX_WAIT_DAYS}d")
    return duration


def _members(text: str) -> Members:
    entries: list[tuple[str, timedelta | None]] = []
    for token in text.split():
        name, _, ago = token.partition(":")
        if not re.fullmatch(NAME, name):
            raise ScriptError(f"{token!r} is not a member name; use letters, digits, _ . or -")
        entries.append((name, _wait_duration(ago) if ago else None))
    return Members(tuple(entries))


def parse_line(raw: str) -> Line | None:
    """One script line -> a Line, None for comments/blank lines; ScriptError says what is wrong."""
    line = raw.strip()
    if not line or line.startswith("#"):
        return None
    for pattern, kind in _PATTERNS:
        match = pattern.match(line)
        if not match:
            continue
        groups = match.groups()
        if kind is Wait:
            return Wait(_wait_duration(groups[0]))
        if kind is Members:
            return _members(groups[0])
        if kind is DmSetting:
            return DmSetting(groups[0], groups[1] == "allows")
        if kind is Pick:
            return Pick(groups[0], groups[1], groups[2].strip().strip('"'))
        return kind(*groups)
    raise ScriptError(
        "cannot read this line; expected 'join NAME', 'leave NAME', 'members NAME...', 'NAME: TEXT', 'NAME #CHANNEL: TEXT', "
        "'NAME dm: TEXT', 'NAME replies REF: TEXT', 'NAME reacts REF EMOJI', 'NAME picks REF CHOICE' or 'wait DURATION'"
    )
