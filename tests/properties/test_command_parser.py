"""The command-line parser (console and Slack) on arbitrary input.

Round trip: a command rendered the way a member types it - positional words in order, named
options as `name:value`, values quoted with single or double quotes - parses back to the same
raw values. Robustness: any text at all gives a parsed command or a UsageError, through parsing
and option conversion alike, never another exception.

The registry is the real one, built from the example configuration, so every shipped command
shape (variadic options, aliases, sub-commands, free-text tails) is covered.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.commands import (
    CommandRegistry,
    CommandSpec,
    Option,
    UsageError,
    convert_options,
    parse_command_text,
)
from bot.events import Member
from tests.support import ConsoleRun

FAST = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> CommandRegistry:
    """Every command the example community registers."""

    async def build() -> CommandRegistry:
        run = ConsoleRun(db_path=tmp_path_factory.mktemp("parser") / "plein.db")
        plein, _, _ = await run.start()
        await plein.close()
        return plein.commands

    return asyncio.run(build())


def test_the_registry_has_every_command_shape(registry: CommandRegistry) -> None:
    specs = registry.all()
    options = [opt for spec in specs for opt in spec.options]
    assert any(spec.alias for spec in specs)
    assert any(len(spec.path) > 1 for spec in specs)
    assert any(opt.variadic for opt in options)
    assert any(not opt.required for opt in options)
    assert {opt.kind for opt in options} >= {"text", "integer", "member", "duration", "boolean"}


# ---- rendering a command the way a member types it --------------------------------------------


def shell_quote(value: str) -> str:
    return shlex.quote(value)


def double_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


quoting = st.sampled_from([shell_quote, double_quote])


def looks_named(spec: CommandSpec, word: str) -> bool:
    """A word `name:...` for one of the command's named options is always read as that option."""
    name, sep, _ = word.partition(":")
    return bool(sep) and any(opt.name == name and not opt.variadic for opt in spec.options)


def value_text(opt: Option) -> st.SearchStrategy[str]:
    huge = st.one_of(st.integers(-(10**30), 10**30), st.integers(10**9, 10**20)).map(str)
    typical = {
        "integer": st.one_of(st.integers(-5, 10_000).map(str), huge),
        "duration": st.one_of(
            st.sampled_from(["90s", "2h", "7d", "1h30m", "1w"]),
            st.builds(lambda n, unit: n + unit, huge, st.sampled_from("smhdw")),
        ),
        "boolean": st.sampled_from(["yes", "no", "ja", "nee", "true", "off"]),
        "member": st.sampled_from(["@bob", "<@U123>", "Anna de Vries"]),
        "choice": st.sampled_from(opt.choices or ("x",)),
    }.get(str(opt.kind))
    anything = st.text(max_size=40)
    return anything if typical is None else st.one_of(typical, anything)


@st.composite
def rendered_commands(draw: st.DrawFn, registry: CommandRegistry) -> tuple[str, CommandSpec, dict]:
    """(text, spec, the raw options the text must parse to)."""
    spec = draw(st.sampled_from(registry.all()))
    quote = draw(quoting)
    expected: dict[str, Any] = {}
    positional: list[str] = []
    named: list[str] = []
    positional_run = True  # positional words fill the unnamed options in order, from the first
    for opt in spec.options:
        given_ = opt.required or draw(st.booleans())
        if opt.variadic:
            items = draw(
                st.lists(value_text(opt).filter(lambda w: not looks_named(spec, w)), max_size=6)
            )
            if not given_ or not items or not positional_run:
                positional_run = False
                continue
            expected[opt.name] = items
            positional.extend(quote(item) for item in items)
            positional_run = False  # a variadic option takes every remaining positional word
            continue
        if not given_:
            positional_run = False
            continue
        value = draw(value_text(opt))
        expected[opt.name] = value
        as_named = draw(st.booleans()) or looks_named(spec, value) or not positional_run
        if as_named:
            named.append(opt.name + ":" + quote(value))
        elif opt.kind == "text":
            # Unquoted free text takes the rest of the line (a question: up to its `?`);
            # a quoted text is exactly one value, so the words after it stay their own.
            positional.append(double_quote(value))
        else:
            positional.append(quote(value))
    draw(st.randoms()).shuffle(named)  # named options may come in any order
    rest = [*positional, *named]
    words = [*spec.path, *rest]
    first = shlex.split(positional[0])[0] if positional else None
    say_alias = spec.alias is not None and (
        draw(st.booleans()) or (first is not None and first.lower() == spec.alias)
    )
    if say_alias:
        words = [*spec.path, spec.alias or "", *rest]
    elif registry.longest_match([*spec.path, *(shlex.split(w)[0] for w in rest[:2])]) != spec:
        assume(False)  # `/poll close ...` is another command; members write `/poll new close ...`
    prefix = draw(st.sampled_from(["/", "", "  /"]))  # Slack's text has no slash
    return prefix + " ".join(words) + draw(st.sampled_from(["", " ", "\n"])), spec, expected


@FAST
@given(data=st.data())
def test_a_rendered_command_parses_back_to_its_values(
    registry: CommandRegistry, data: st.DataObject
) -> None:
    text, spec, expected = data.draw(rendered_commands(registry))
    parsed = parse_command_text(text, registry)
    assert parsed.path == spec.path
    assert parsed.options == expected
    await_conversion(spec, parsed.options)


# ---- any text: a parsed command or a usage error, nothing else ---------------------------------


def command_words(registry: CommandRegistry) -> st.SearchStrategy[str]:
    names = sorted({w for spec in registry.all() for w in (*spec.path, spec.alias or "new")})
    options = sorted({opt.name for spec in registry.all() for opt in spec.options})
    number = st.integers(-(10**30), 10**30).map(str)
    unit = st.sampled_from(["", "s", "m", "h", "d", "w", "x"])
    duration = st.builds(lambda n, u: n + u, number, unit)
    value = st.one_of(st.text(max_size=12), number, duration, st.sampled_from(["yes", "@bob"]))
    option_word = st.builds(lambda n, v: f"{n}:{v}", st.sampled_from(options), value)
    return st.one_of(st.sampled_from(names), option_word, value, st.sampled_from(['"', "'", "\\"]))


def any_command_text(registry: CommandRegistry) -> st.SearchStrategy[str]:
    near_valid = st.lists(command_words(registry), max_size=8).map(lambda ws: "/" + " ".join(ws))
    rendered = rendered_commands(registry).map(lambda drawn: drawn[0])
    return st.one_of(st.text(), near_valid, rendered)


async def resolve_member(text: str) -> Member | None:
    return Member("console:bob", "bob") if text.startswith("@") else None


def await_conversion(spec: CommandSpec, raw: dict[str, Any]) -> None:
    """Convert the options as the dispatcher does; only a UsageError may come out."""
    with contextlib.suppress(UsageError):
        asyncio.run(convert_options(spec, raw, resolve_member))


@FAST
@given(data=st.data())
def test_any_text_is_a_command_or_a_usage_error(
    registry: CommandRegistry, data: st.DataObject
) -> None:
    text = data.draw(any_command_text(registry))
    try:
        parsed = parse_command_text(text, registry)
    except UsageError:
        return
    spec = registry.get(parsed.path)
    assert spec is not None
    assert set(parsed.options) <= {opt.name for opt in spec.options}
    await_conversion(spec, parsed.options)
