"""Issue 15: Discord shows option names and choice words in the member's client language."""

from __future__ import annotations

from adapters.discord.commands import NAME_RE, build_commands
from bot.commands import CommandRegistry, CommandSpec, Option, OptionKind
from bot.i18n import Translator


async def _noop(call):  # noqa: ANN001, ANN202
    return []


def lookups():  # noqa: ANN201
    nl, en = Translator("nl"), Translator("en")
    return (lambda k: nl(k) if nl.has(k) else None), (lambda k: en(k) if en.has(k) else None)


def test_option_names_and_choices_carry_dutch_localisations() -> None:
    registry = CommandRegistry()
    registry.add(
        CommandSpec(
            path=("top",),
            handler=_noop,
            options=(Option("period", OptionKind.CHOICE, False, choices=("week", "month", "all")),),
        )
    )
    registry.add(
        CommandSpec(
            path=("kudos",),
            handler=_noop,
            options=(Option("member", OptionKind.MEMBER), Option("reason")),
        )
    )
    registry.add(
        CommandSpec(
            path=("poll",),
            handler=_noop,
            options=(Option("question"), Option("option", variadic=True, max_count=3)),
        )
    )
    nl, en = lookups()
    by_name = {c["name"]: c for c in build_commands(registry.all(), nl, en).payloads}
    [period] = by_name["top"]["options"]
    assert period["name"] == "period" and period["name_localizations"]["nl"] == "periode"
    assert [(c["value"], c["name_localizations"]["nl"]) for c in period["choices"]] == [
        ("week", "week"),
        ("month", "maand"),
        ("all", "alles"),
    ]
    kudos = {o["name"]: o["name_localizations"]["nl"] for o in by_name["kudos"]["options"]}
    assert kudos == {"member": "lid", "reason": "reden"}
    poll = [o["name_localizations"]["nl"] for o in by_name["poll"]["options"]]
    assert poll == ["vraag", "optie1", "optie2", "optie3"]
    every = [
        name
        for command in by_name.values()
        for option in command["options"]
        for name in option["name_localizations"].values()
    ]
    assert all(NAME_RE.match(name) and name == name.lower() for name in every)
