"""Slash commands as data: one spec per command, shared by every adapter.

Discord builds app_commands from the specs, Slack parses `/plein <path> args` and the console
parses `/path args` with the same `parse_command_text`, so options and checks are identical.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol

from bot.actions import Action, Reply
from bot.events import Actor, CommandInvoked, Member
from bot.timespec import parse_duration


class OptionKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MEMBER = "member"
    DURATION = "duration"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@dataclass(frozen=True)
class Option:
    name: str
    kind: OptionKind = OptionKind.TEXT
    required: bool = True
    variadic: bool = False
    """Collects the remaining positional words (poll options). Discord shows N numbered options."""
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None
    min_count: int = 0
    max_count: int = 25


@dataclass(frozen=True)
class CommandCall:
    event: CommandInvoked
    options: Mapping[str, Any]

    @property
    def actor(self) -> Actor:
        return self.event.actor

    @property
    def interaction(self) -> str:
        return self.event.interaction.id

    @property
    def channel(self) -> str | None:
        return self.event.interaction.channel

    def reply(self, text: str, *, ephemeral: bool = True, **kwargs: Any) -> Reply:
        return Reply(interaction=self.interaction, text=text, ephemeral=ephemeral, **kwargs)


Handler = Callable[[CommandCall], Awaitable[Sequence[Action]]]


@dataclass(frozen=True)
class CommandSpec:
    path: tuple[str, ...]
    handler: Handler = field(compare=False, repr=False)
    options: tuple[Option, ...] = ()
    manager_only: bool = False
    alias: str | None = None
    """The subcommand name to use where a group's root cannot itself be invoked (Discord):
    `/poll` with subcommands becomes `/poll new` there."""

    @property
    def name(self) -> str:
        return " ".join(self.path)

    @property
    def key(self) -> str:
        """i18n key prefix: description at `cmd.<path>`, option help at `cmd.<path>.<option>`."""
        return "cmd." + ".".join(self.path)

    def usage(self) -> str:
        parts = ["/" + self.name]
        for opt in self.options:
            label = opt.name + ("..." if opt.variadic else "")
            parts.append(f"<{label}>" if opt.required else f"[{opt.name}:…]")
        return " ".join(parts)


class UsageError(Exception):
    """A bad command argument; carries an i18n key and its parameters for a friendly reply."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class CommandCatalogue(Protocol):
    """The command specs, read-only: what adapters and help texts may look at."""

    def get(self, path: tuple[str, ...]) -> CommandSpec | None: ...

    def all(self) -> list[CommandSpec]: ...

    def longest_match(self, words: Sequence[str]) -> CommandSpec | None: ...

    def has_group(self, name: str) -> bool: ...


class CommandRegistry:
    def __init__(self) -> None:
        self._specs: dict[tuple[str, ...], CommandSpec] = {}

    def add(self, spec: CommandSpec) -> None:
        if spec.path in self._specs:
            raise ValueError(f"command /{spec.name} registered twice")
        self._specs[spec.path] = spec

    def get(self, path: tuple[str, ...]) -> CommandSpec | None:
        return self._specs.get(path)

    def all(self) -> list[CommandSpec]:
        return sorted(self._specs.values(), key=lambda s: s.path)

    def longest_match(self, words: Sequence[str]) -> CommandSpec | None:
        for size in range(min(len(words), 3), 0, -1):
            spec = self._specs.get(tuple(w.lower() for w in words[:size]))
            if spec:
                return spec
        return None

    def has_group(self, name: str) -> bool:
        return any(len(p) > 1 and p[0] == name for p in self._specs)


@dataclass(frozen=True)
class ParsedCommand:
    path: tuple[str, ...]
    options: dict[str, Any]


class Vocabulary(Protocol):
    """The community's words for option names and choices (bot.command_words.CommandWords)."""

    def option_named(self, spec: CommandSpec, typed: str) -> Option | None: ...

    def choice_value(self, opt: Option, typed: str) -> str | None: ...


@dataclass(frozen=True)
class Word:
    text: str
    quoted: bool
    """Written between quotes: exactly one value, never split or joined."""


_SHELL_WORD = re.compile(r"""(?:[^ \t\r\n'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+""", re.DOTALL)
_BLANK = re.compile(r"[ \t\r\n]*")


def split_words(body: str) -> list[Word]:
    """Shell-like words (as `shlex.split`), each knowing whether the member quoted it."""
    words: list[Word] = []
    position = _BLANK.match(body, 0)
    at = position.end() if position else 0
    while at < len(body):
        match = _SHELL_WORD.match(body, at)
        if match is None:
            raise UsageError("core.usage.quotes")
        raw = match.group()
        try:
            [text] = shlex.split(raw)
        except ValueError:
            raise UsageError("core.usage.quotes") from None
        words.append(Word(text, quoted="'" in raw or '"' in raw))
        blank = _BLANK.match(body, match.end())
        if blank is None or (blank.end() == match.end() and blank.end() < len(body)):
            raise UsageError("core.usage.quotes")
        at = blank.end()
    return words


def parse_command_text(
    text: str, registry: CommandCatalogue, words: Vocabulary | None = None
) -> ParsedCommand:
    """'/poll "Which day?" Mon Tue duration:2d' -> path + raw string options (not yet converted).

    One rule for every command: `name:value` sets an option (its English or local name); the
    other words fill the options in order. Unquoted free text takes the rest of the line,
    except a question followed by its answers (`/poll`), which runs to the first word ending
    in `?`; without one Plein asks for quotes instead of guessing where the question ends.
    A quoted text is exactly one value. Options after free text therefore need their name.
    """
    body = text.strip().removeprefix("/")
    split = split_words(body)
    if not split:
        raise UsageError("core.usage.unknown_command", command="/")
    spec = registry.longest_match([w.text for w in split])
    if spec is None:
        first = split[0].text.lower()
        if registry.has_group(first) and registry.get(("help",)) is not None:
            return ParsedCommand(("help",), {"command": first})  # a bare `/spotlight`
        raise unknown_command([split[0].text], registry)
    rest = split[len(spec.path) :]
    if spec.alias and rest and rest[0].text.lower() == spec.alias:
        rest = rest[1:]  # `/poll new ...` is how Discord shows it; accept it everywhere
    named: dict[str, Any] = {}
    positional: list[Word] = []
    for word in rest:
        name, sep, value = word.text.partition(":")
        opt = _named_option(spec, name, words) if sep else None
        if opt is not None and not opt.variadic:
            named[opt.name] = value
        else:
            positional.append(word)
    unnamed = [opt for opt in spec.options if opt.name not in named]
    for index, opt in enumerate(unnamed):
        if not positional:
            break
        if opt.variadic:
            named[opt.name] = [w.text for w in positional]
            positional = []
        elif opt.kind is OptionKind.TEXT:
            taken = _free_text(spec, positional, unnamed[index + 1 :])
            named[opt.name] = " ".join(w.text for w in positional[:taken])
            positional = positional[taken:]
        else:
            named[opt.name] = positional.pop(0).text
    if positional:
        raise UsageError("core.usage.too_many", spec=spec)
    return ParsedCommand(spec.path, named)


def command_names(registry: CommandCatalogue) -> list[str]:
    """Every way to start a command: 'poll', 'poll close', 'top'."""
    names = set()
    for spec in registry.all():
        for size in range(1, len(spec.path) + 1):
            names.add(" ".join(spec.path[:size]))
    return sorted(names)


def did_you_mean(typed: str, registry: CommandCatalogue) -> str | None:
    close = difflib.get_close_matches(typed.lower(), command_names(registry), n=1, cutoff=0.6)
    return "/" + close[0] if close else None


def unknown_command(typed: Sequence[str], registry: CommandCatalogue) -> UsageError:
    """'I don't know /polll', with a 'did you mean /poll?' when one is close."""
    command = "/" + " ".join(typed)
    suggestion = did_you_mean(command[1:], registry) or did_you_mean(typed[0], registry)
    if suggestion is None:
        return UsageError("core.usage.unknown_command", command=command)
    return UsageError("core.usage.did_you_mean", command=command, suggestion=suggestion)


def _named_option(spec: CommandSpec, typed: str, words: Vocabulary | None) -> Option | None:
    if words is not None:
        return words.option_named(spec, typed)
    return next((opt for opt in spec.options if opt.name == typed), None)


def _free_text(spec: CommandSpec, positional: Sequence[Word], later: Sequence[Option]) -> int:
    """How many of the positional words a text option takes."""
    first = positional[0]
    following = later[0] if later else None
    if any(opt.required and not opt.variadic for opt in later):
        return 1  # a single word (a poll number) before another required value
    if following is not None and following.variadic:
        if first.quoted:
            return 1
        for count, word in enumerate(positional, start=1):
            if word.quoted:
                break
            if word.text.endswith("?"):
                return count
        if len(positional) == 1:
            return 1  # only the question: the missing answers get their own message
        raise UsageError("core.usage.question", spec=spec)
    if first.quoted and following is not None and len(positional) > 1:
        return 1
    return len(positional)


MemberResolver = Callable[[str], Awaitable[Member | None]]

_TRUE = {"true", "yes", "ja", "1", "on", "aan"}
_FALSE = {"false", "no", "nee", "0", "off", "uit"}


async def convert_options(
    spec: CommandSpec,
    raw: Mapping[str, Any],
    resolve_member: MemberResolver,
    words: Vocabulary | None = None,
) -> dict[str, Any]:
    """Check and convert options; values already typed by the platform pass through the same checks."""
    out: dict[str, Any] = {}
    known = {opt.name for opt in spec.options}
    for name in raw:
        if name not in known:
            raise UsageError("core.usage.unknown_option", option=name, spec=spec)
    for opt in spec.options:
        value = raw.get(opt.name)
        if value is None or value == [] or value == "":
            if opt.required:
                raise UsageError("core.usage.missing", option=opt.name, spec=spec)
            continue
        if opt.variadic:
            items = list(value) if isinstance(value, list | tuple) else [value]
            if not opt.min_count <= len(items) <= opt.max_count:
                raise UsageError(
                    "core.usage.count",
                    option=opt.name,
                    min=opt.min_count,
                    max=opt.max_count,
                    spec=spec,
                )
            out[opt.name] = [await _convert_one(opt, item, resolve_member, words) for item in items]
        else:
            out[opt.name] = await _convert_one(opt, value, resolve_member, words)
    return out


async def _convert_one(
    opt: Option, value: Any, resolve_member: MemberResolver, words: Vocabulary | None
) -> Any:
    if opt.kind is OptionKind.MEMBER:
        if isinstance(value, Member):
            return value
        member = await resolve_member(str(value))
        if member is None:
            raise UsageError("core.usage.no_member", value=str(value))
        return member
    if opt.kind is OptionKind.INTEGER:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise UsageError("core.usage.not_integer", option=opt.name, value=str(value)) from None
        if (opt.min_value is not None and number < opt.min_value) or (
            opt.max_value is not None and number > opt.max_value
        ):
            raise UsageError(
                "core.usage.range", option=opt.name, min=opt.min_value, max=opt.max_value
            )
        return number
    if opt.kind is OptionKind.DURATION:
        if isinstance(value, timedelta):
            return value
        try:
            return parse_duration(str(value))
        except ValueError:
            raise UsageError("core.usage.duration", option=opt.name, value=str(value)) from None
    if opt.kind is OptionKind.BOOLEAN:
        if isinstance(value, bool):
            return value
        lowered = str(value).lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise UsageError("core.usage.boolean", option=opt.name, value=str(value))
    text = str(value)
    if opt.kind is OptionKind.CHOICE:
        choice = (
            words.choice_value(opt, text)
            if words is not None
            else next((c for c in opt.choices if c == text.lower()), None)
        )
        if choice is None:
            raise UsageError("core.usage.choice", option=opt.name, value=text, choices=opt.choices)
        return choice
    if opt.max_length is not None and len(text) > opt.max_length:
        raise UsageError("core.usage.too_long", option=opt.name, max=opt.max_length)
    return text


def visible_to(specs: Iterable[CommandSpec], actor: Actor) -> list[CommandSpec]:
    return [s for s in specs if actor.is_manager or not s.manager_only]
