"""Slash commands as data: one spec per command, shared by every adapter.

Discord builds app_commands from the specs, Slack parses `/plein <path> args` and the console
parses `/path args` with the same `parse_command_text`, so options and checks are identical.
"""

from __future__ import annotations

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


def parse_command_text(text: str, registry: CommandCatalogue) -> ParsedCommand:
    """'/poll "Which day?" Mon Tue duration:2d' -> path + raw string options (not yet converted)."""
    body = text.strip().removeprefix("/")
    try:
        words = shlex.split(body)
    except ValueError:
        raise UsageError("core.usage.quotes") from None
    if not words:
        raise UsageError("core.usage.unknown_command", command="/")
    spec = registry.longest_match(words)
    if spec is None:
        raise UsageError("core.usage.unknown_command", command="/" + words[0])
    rest = words[len(spec.path) :]
    if spec.alias and rest and rest[0].lower() == spec.alias:
        rest = rest[1:]  # `/poll new ...` is how Discord shows it; accept it everywhere
    by_name = {opt.name: opt for opt in spec.options}
    named: dict[str, Any] = {}
    positional: list[str] = []
    for word in rest:
        name, sep, value = word.partition(":")
        if sep and name in by_name and not by_name[name].variadic:
            named[name] = value
        else:
            positional.append(word)
    last_text: Option | None = None
    for opt in spec.options:
        if opt.name in named:
            continue
        if opt.variadic:
            if positional:
                named[opt.name] = positional
                positional = []
        elif positional:
            named[opt.name] = positional.pop(0)
            last_text = opt if opt.kind is OptionKind.TEXT else None
    if positional and last_text is not None:
        # `/kudos @bob thanks for the walk`: the last free-text option takes the rest of the line.
        named[last_text.name] = " ".join([named[last_text.name], *positional])
        positional = []
    if positional:
        raise UsageError("core.usage.too_many", usage=spec.usage())
    return ParsedCommand(spec.path, named)


MemberResolver = Callable[[str], Awaitable[Member | None]]

_TRUE = {"true", "yes", "ja", "1", "on", "aan"}
_FALSE = {"false", "no", "nee", "0", "off", "uit"}


async def convert_options(
    spec: CommandSpec, raw: Mapping[str, Any], resolve_member: MemberResolver
) -> dict[str, Any]:
    """Check and convert options; values already typed by the platform pass through the same checks."""
    out: dict[str, Any] = {}
    known = {opt.name for opt in spec.options}
    for name in raw:
        if name not in known:
            raise UsageError("core.usage.unknown_option", option=name, usage=spec.usage())
    for opt in spec.options:
        value = raw.get(opt.name)
        if value is None or value == [] or value == "":
            if opt.required:
                raise UsageError("core.usage.missing", option=opt.name, usage=spec.usage())
            continue
        if opt.variadic:
            items = list(value) if isinstance(value, list | tuple) else [value]
            if not opt.min_count <= len(items) <= opt.max_count:
                raise UsageError(
                    "core.usage.count",
                    option=opt.name,
                    min=opt.min_count,
                    max=opt.max_count,
                    usage=spec.usage(),
                )
            out[opt.name] = [await _convert_one(opt, item, resolve_member) for item in items]
        else:
            out[opt.name] = await _convert_one(opt, value, resolve_member)
    return out


async def _convert_one(opt: Option, value: Any, resolve_member: MemberResolver) -> Any:
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
    if opt.kind is OptionKind.CHOICE and text.lower() not in opt.choices:
        raise UsageError(
            "core.usage.choice", option=opt.name, value=text, allowed=", ".join(opt.choices)
        )
    if opt.max_length is not None and len(text) > opt.max_length:
        raise UsageError("core.usage.too_long", option=opt.name, max=opt.max_length)
    return text.lower() if opt.kind is OptionKind.CHOICE else text


def visible_to(specs: Iterable[CommandSpec], actor: Actor) -> list[CommandSpec]:
    return [s for s in specs if actor.is_manager or not s.manager_only]
