"""The fixed words of commands, in the community's language and in English.

Option names (`periode:maand` as well as `period:month`), choice words (`maand`, `alles`) and
the usage line all come from the catalogs: `opt.<name>` is the word a member types for an
option, `opt.<name>.the` names it in a sentence ("de reden"), `choice.<value>` is a choice
word. The canonical (English) words are always accepted too; handlers only ever see them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.commands import CommandSpec, Option, UsageError
from bot.i18n import Translator


class CommandWords:
    def __init__(self, t: Translator) -> None:
        self.t = t

    def option_name(self, name: str) -> str:
        key = f"opt.{name}"
        return self.t(key) if self.t.has(key) else name

    def option_phrase(self, name: str) -> str:
        key = f"opt.{name}.the"
        return self.t(key) if self.t.has(key) else f"'{self.option_name(name)}'"

    def choice_word(self, value: str) -> str:
        key = f"choice.{value}"
        return self.t(key) if self.t.has(key) else value

    def option_named(self, spec: CommandSpec, typed: str) -> Option | None:
        """The option a member means by `typed` (its English or its local name)."""
        lowered = typed.lower()
        for opt in spec.options:
            if lowered in (opt.name, self.option_name(opt.name).lower()):
                return opt
        return None

    def choice_value(self, opt: Option, typed: str) -> str | None:
        lowered = typed.strip().lower()
        for value in opt.choices:
            if lowered in (value, self.choice_word(value).lower()):
                return value
        return None

    def usage(self, spec: CommandSpec) -> str:
        parts = ["/" + spec.name]
        for opt in spec.options:
            name = self.option_name(opt.name)
            label = name + ("..." if opt.variadic else "")
            parts.append(f"<{label}>" if opt.required else f"[{name}:…]")
        return " ".join(parts)

    def explain(self, error: UsageError) -> str:
        """The error's message with option names, choices and usage in the member's language."""
        return self.t(error.key, **self.params(error.params))

    def params(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        params = dict(raw)
        spec = params.pop("spec", None)
        if isinstance(spec, CommandSpec):
            params["usage"] = self.usage(spec)
        option = params.get("option")
        if isinstance(option, str):
            params["option"] = self.option_name(option)
            params["the_option"] = self.option_phrase(option)
        choices = params.pop("choices", None)
        if isinstance(choices, tuple | list):
            params["allowed"] = ", ".join(self.choice_word(str(c)) for c in choices)
        return params
