"""`!plein help` and the core's '/poll ...' wording rewritten as '!plein poll ...'."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.command_words import CommandWords
from bot.commands import CommandCatalogue, CommandSpec, visible_to
from bot.events import Actor
from bot.i18n import Translator


def help_text(
    t: Translator,
    commands: CommandCatalogue,
    actor: Actor,
    community: str,
    prefix: str,
    *,
    unknown: str | None = None,
) -> str:
    """Grouped like /help: member commands, then (for managers only) the managers' commands."""
    words = CommandWords(t)
    specs = [s for s in visible_to(commands.all(), actor) if s.path != ("help",)]
    lines = []
    if unknown is not None:
        lines.append(t("matrix.unknown_subcommand", subcommand=unknown, prefix=prefix))
    lines.append(t("core.help.title", community=community))
    lines += [_line(t, words, spec, prefix) for spec in specs if not spec.manager_only]
    managers = [_line(t, words, spec, prefix) for spec in specs if spec.manager_only]
    if managers:
        lines += ["", t("core.help.managers"), *managers]
    lines += ["", t("matrix.help.footer", prefix=prefix)]
    return "\n".join(lines)


def _line(t: Translator, words: CommandWords, spec: CommandSpec, prefix: str) -> str:
    description = t(spec.key) if t.has(spec.key) else ""
    return f"{prefix} {words.usage(spec).removeprefix('/')} - {description}"


def command_rewriter(names: Iterable[str], prefix: str) -> Callable[[str], str]:
    """Core texts say '/poll close 1'; on Matrix that is '!plein poll close 1'."""
    words = sorted({n for n in names if n}, key=len, reverse=True)
    if not words:
        return lambda text: text
    pattern = re.compile(r"(?<![\w/<:.`-])/(" + "|".join(map(re.escape, words)) + r")\b")
    return lambda text: pattern.sub(prefix.replace("\\", "\\\\") + r" \1", text)
