"""/help: member and manager commands in two groups, one command explained with an example,
and "did you mean" for a command Plein does not know. Texts in the community's language."""

from __future__ import annotations

from bot.command_words import CommandWords
from bot.commands import CommandCatalogue, CommandSpec, did_you_mean, visible_to
from bot.events import Actor
from bot.i18n import Translator


class HelpText:
    def __init__(self, t: Translator, commands: CommandCatalogue, community: str) -> None:
        self.t = t
        self.words = CommandWords(t)
        self.commands = commands
        self.community = community

    def overview(self, actor: Actor) -> str:
        specs = visible_to(self.commands.all(), actor)
        members = [s for s in specs if not s.manager_only]
        managers = [s for s in specs if s.manager_only]
        lines = [self.t("core.help.title", community=self.community)]
        lines += [self._line(spec) for spec in members]
        if managers:
            lines += ["", self.t("core.help.managers")]
            lines += [self._line(spec) for spec in managers]
        lines += ["", self.t("core.help.more")]
        return "\n".join(lines)

    def about(self, actor: Actor, typed: str) -> str:
        """`/help poll`: the commands that start with these words, each with an example."""
        words = tuple(typed.lower().removeprefix("/").split())
        specs = [s for s in visible_to(self.commands.all(), actor) if s.path[: len(words)] == words]
        if not specs and any(s.path[: len(words)] == words for s in self.commands.all()):
            return self.t("core.not_manager", command="/" + " ".join(words))
        if not specs:
            suggestion = did_you_mean(" ".join(words), self.commands)
            if suggestion:
                return self.t("core.usage.did_you_mean", command="/" + typed, suggestion=suggestion)
            return self.t("core.usage.unknown_command", command="/" + typed)
        return "\n\n".join(self._explain(spec) for spec in specs)

    def _line(self, spec: CommandSpec) -> str:
        return f"{self.words.usage(spec)} - {self._describe(spec)}"

    def _describe(self, spec: CommandSpec) -> str:
        return self.t(spec.key) if self.t.has(spec.key) else ""

    def _explain(self, spec: CommandSpec) -> str:
        lines = [f"{self.words.usage(spec)} - {self._describe(spec)}"]
        for opt in spec.options:
            key = f"{spec.key}.{opt.name}"
            if self.t.has(key):
                lines.append(f"  {self.words.option_name(opt.name)}: {self.t(key)}")
        example = f"{spec.key}.example"
        if self.t.has(example):
            lines.append(self.t("core.help.example", example=self.t(example)))
        return "\n".join(lines)
