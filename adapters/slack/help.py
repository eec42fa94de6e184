"""`/plein`, `/plein help` and unknown subcommands: the command list written the Slack way."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.command_words import CommandWords
from bot.commands import CommandCatalogue, CommandSpec, visible_to
from bot.events import Actor
from bot.i18n import Translator

SLASH = "/plein"


def slack_usage(usage: str) -> str:
    """'/poll <question> <options...>' -> '/plein poll <question> <options...>'."""
    return f"{SLASH} {usage.removeprefix('/')}"


def help_text(
    t: Translator,
    commands: CommandCatalogue,
    actor: Actor,
    community: str,
    *,
    unknown: str | None = None,
) -> str:
    """Grouped like /help: member commands, then (for managers only) the managers' commands."""
    words = CommandWords(t)
    specs = [s for s in visible_to(commands.all(), actor) if s.path != ("help",)]
    lines = []
    if unknown is not None:
        lines.append(t("slack.unknown_subcommand", subcommand=unknown, slash=SLASH))
    lines.append(t("core.help.title", community=community))
    lines += [_line(t, words, spec) for spec in specs if not spec.manager_only]
    managers = [_line(t, words, spec) for spec in specs if spec.manager_only]
    if managers:
        lines += ["", t("core.help.managers"), *managers]
    lines += ["", t("slack.help.footer", slash=SLASH)]
    return "\n".join(lines)


def _line(t: Translator, words: CommandWords, spec: CommandSpec) -> str:
    description = t(spec.key) if t.has(spec.key) else ""
    return f"`{slack_usage(words.usage(spec))}` - {description}"


def command_rewriter(names: Iterable[str]) -> Callable[[str], str]:
    """Core texts say '/poll close 1'; in Slack that is '/plein poll close 1'."""
    words = sorted({n for n in names if n}, key=len, reverse=True)
    if not words:
        return lambda text: text
    pattern = re.compile(r"(?<![\w/<:.`-])/(" + "|".join(map(re.escape, words)) + r")\b")
    return lambda text: pattern.sub(SLASH + r" \1", text)
