"""Plein's command specs -> Discord application command payloads, and back (pure, no I/O).

The CommandRegistry is data, so the adapter syncs data: one CHAT_INPUT command per first word,
subcommands (type 1) and subcommand groups (type 2) for longer paths. A root that also has
subcommands (`/poll` and `/poll close`) cannot be invoked on Discord, so it becomes the
subcommand named by its `alias` (`/poll new`). A variadic option becomes numbered options
(`option1`..`optionN`). Descriptions, option names (`opt.<name>`) and choice words
(`choice.<value>`) come from the i18n catalogs in Dutch and English; Discord shows each
member the names of their own client language and sends back the canonical ones.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import AppCommandOptionType

from bot.commands import CommandSpec, Option, OptionKind

log = logging.getLogger("plein.discord.commands")

MANAGER_PERMISSIONS = discord.Permissions(manage_guild=True)
"""Manager commands are hidden from members who lack 'Manage Server' (server admins can
allow other roles per command under Server Settings > Integrations); the core gates them too."""

MAX_NUMBERED = 10
NAME_RE = re.compile(r"^[-_\w]{1,32}$")

_OPTION_TYPES = {
    OptionKind.TEXT: AppCommandOptionType.string,
    OptionKind.INTEGER: AppCommandOptionType.integer,
    OptionKind.MEMBER: AppCommandOptionType.user,
    OptionKind.DURATION: AppCommandOptionType.string,
    OptionKind.BOOLEAN: AppCommandOptionType.boolean,
    OptionKind.CHOICE: AppCommandOptionType.string,
}

Lookup = Callable[[str], str | None]
"""Returns the catalog text for a key in one language, or None when the key is absent."""


@dataclass(frozen=True)
class Route:
    """How one Discord command path maps back onto a spec."""

    spec_path: tuple[str, ...]
    numbered: dict[str, str] = field(default_factory=dict)
    """Discord option name -> the variadic spec option it belongs to."""


@dataclass
class CommandSet:
    payloads: list[dict[str, Any]]
    routes: dict[tuple[str, ...], Route]


def _clip(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe(key: str, fallback: str, nl: Lookup, en: Lookup) -> dict[str, Any]:
    english = en(key) or nl(key) or fallback
    dutch = nl(key) or english
    return {
        "description": _clip(english),
        "description_localizations": {
            "nl": _clip(dutch),
            "en-US": _clip(english),
            "en-GB": _clip(english),
        },
    }


def _name_localizations(key: str, nl: Lookup, en: Lookup) -> dict[str, str]:
    names = {}
    for locale, lookup in (("nl", nl), ("en-US", en), ("en-GB", en)):
        value = lookup(key)
        if value and NAME_RE.match(value) and value == value.lower():
            names[locale] = value
    return names


def _choice(value: str, nl: Lookup, en: Lookup) -> dict[str, Any]:
    """A choice shows in the member's language; Discord sends back the canonical value."""
    key = f"choice.{value}"
    english = en(key) or value
    dutch = nl(key) or english
    return {
        "name": english,
        "value": value,
        "name_localizations": {"nl": dutch, "en-US": english, "en-GB": english},
    }


def _option_payloads(spec: CommandSpec, nl: Lookup, en: Lookup) -> tuple[list[dict], Route]:
    options: list[dict[str, Any]] = []
    numbered: dict[str, str] = {}
    for opt in spec.options:
        if opt.variadic:
            count = min(opt.max_count, MAX_NUMBERED, 25 - (len(spec.options) - 1))
            for index in range(1, count + 1):
                name = f"{opt.name}{index}"
                numbered[name] = opt.name
                options.append(
                    _option(
                        spec,
                        opt,
                        name,
                        index <= max(opt.min_count, 1 if opt.required else 0),
                        nl,
                        en,
                    )
                )
        else:
            options.append(_option(spec, opt, opt.name, opt.required, nl, en))
    # Discord requires every required option before the optional ones.
    options.sort(key=lambda o: not o["required"])
    return options, Route(spec.path, numbered)


def _option(
    spec: CommandSpec, opt: Option, name: str, required: bool, nl: Lookup, en: Lookup
) -> dict[str, Any]:
    key = f"{spec.key}.{opt.name}"
    payload: dict[str, Any] = {
        "type": _OPTION_TYPES[opt.kind].value,
        "name": name,
        "required": required,
        **_describe(key, opt.name, nl, en),
    }
    localized = _name_localizations(f"opt.{opt.name}", nl, en)
    if opt.variadic:
        number = name.removeprefix(opt.name)
        localized = {locale: word + number for locale, word in localized.items()}
    if localized:
        payload["name_localizations"] = localized
    if opt.kind is OptionKind.CHOICE and opt.choices:
        payload["choices"] = [_choice(c, nl, en) for c in opt.choices[:25]]
    if opt.kind is OptionKind.INTEGER:
        if opt.min_value is not None:
            payload["min_value"] = opt.min_value
        if opt.max_value is not None:
            payload["max_value"] = opt.max_value
    if opt.max_length is not None and opt.kind is OptionKind.TEXT:
        payload["max_length"] = min(opt.max_length, 6000)
    return payload


def build_commands(specs: Iterable[CommandSpec], nl: Lookup, en: Lookup) -> CommandSet:
    """Group specs by their first word and build one top-level command per group."""
    groups: dict[str, list[CommandSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.path[0], []).append(spec)
    payloads: list[dict[str, Any]] = []
    routes: dict[tuple[str, ...], Route] = {}
    for top, members in sorted(groups.items()):
        root = next((s for s in members if len(s.path) == 1), None)
        subs = [s for s in members if len(s.path) > 1]
        command: dict[str, Any] = {"type": 1, "name": top, "contexts": [0]}
        if not subs and root is not None:
            options, route = _option_payloads(root, nl, en)
            command.update(_describe(root.key, top, nl, en), options=options)
            routes[(top,)] = route
        else:
            command.update(_describe(f"cmd.{top}", top, nl, en))
            command["options"] = _subcommands(top, root, subs, nl, en, routes)
        if all(s.manager_only for s in members):
            command["default_member_permissions"] = str(MANAGER_PERMISSIONS.value)
        payloads.append(command)
    return CommandSet(payloads, routes)


def _subcommands(
    top: str,
    root: CommandSpec | None,
    subs: list[CommandSpec],
    nl: Lookup,
    en: Lookup,
    routes: dict[tuple[str, ...], Route],
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    if root is not None:
        alias = root.alias or "new"
        if root.alias is None:
            log.warning("/%s has subcommands but no alias; exposing it as /%s %s", top, top, alias)
        options, route = _option_payloads(root, nl, en)
        entries.append(
            {"type": 1, "name": alias, **_describe(root.key, alias, nl, en), "options": options}
        )
        routes[(top, alias)] = route
    nested: dict[str, list[CommandSpec]] = {}
    for spec in subs:
        if len(spec.path) == 2:
            options, route = _option_payloads(spec, nl, en)
            entries.append(
                {"type": 1, "name": spec.path[1], **_describe(spec.key, spec.path[1], nl, en)}
                | {"options": options}
            )
            routes[spec.path] = route
        else:
            nested.setdefault(spec.path[1], []).append(spec)
    for middle, specs in sorted(nested.items()):
        group_subs = []
        for spec in specs:
            options, route = _option_payloads(spec, nl, en)
            group_subs.append(
                {"type": 1, "name": spec.path[2], **_describe(spec.key, spec.path[2], nl, en)}
                | {"options": options}
            )
            routes[spec.path[:3]] = route
        entries.append(
            {
                "type": 2,
                "name": middle,
                **_describe(f"cmd.{top}.{middle}", middle, nl, en),
                "options": group_subs,
            }
        )
    return entries[:25]


def invoked_path(data: dict[str, Any]) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """The subcommand path of an APPLICATION_COMMAND interaction's data, and its leaf options."""
    path = [data["name"]]
    options: list[dict[str, Any]] = list(data.get("options") or [])
    while len(options) == 1 and options[0].get("type") in (1, 2):
        path.append(options[0]["name"])
        options = list(options[0].get("options") or [])
    return tuple(path), options
