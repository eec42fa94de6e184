"""The short, commented plein.toml `plein init` writes for one community."""

from __future__ import annotations

import json

from bot.i18n import Translator
from bot.setup.answers import DEFAULT_SLOT, Answers


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are valid TOML."""
    return json.dumps(text, ensure_ascii=False)


def toml_list(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(toml_string(item) for item in items) + "]"


def comment(text: str) -> list[str]:
    return [f"# {line}" if line else "#" for line in text.splitlines()]


def starter_toml(answers: Answers) -> str:
    t = Translator(answers.language)
    lines = comment(t("setup.file.header", name=answers.name))
    lines += ["", "[community]", f"name = {toml_string(answers.name)}"]
    if answers.mission:
        lines.append(f"mission = {toml_string(answers.mission)}")
    lines += comment(t("setup.file.language"))
    lines.append(f"language = {toml_string(answers.language)}")
    lines += comment(t("setup.file.timezone"))
    lines.append(f"timezone = {toml_string(answers.timezone)}")
    lines += comment(t("setup.file.managers"))
    lines.append(f"managers = {toml_list(answers.managers)}")
    lines += comment(t("setup.file.channels"))
    lines += [
        f"welcome_channel = {toml_string(answers.welcome_channel)}",
        f"default_channel = {toml_string(answers.default_channel)}",
        f"managers_channel = {toml_string(answers.managers_channel)}",
    ]
    if answers.goals:
        lines += ["", *comment(t("setup.file.goals")), "[goals]", "targets = ["]
        for goal in answers.goals:
            lines.append(
                f"  {{ name = {toml_string(goal.name)}, metric = {toml_string(goal.metric)}, "
                f'target = {goal.target:g}, period = "week" }},'
            )
        lines.append("]")
    if answers.themes:
        lines += ["", *comment(t("setup.file.calendar"))]
        for theme in answers.themes:
            lines += [
                "[[calendar.themes]]",
                f"name = {toml_string(theme.name)}",
                f"hosts = {toml_list(list(theme.hosts))}",
                "prompts = [",
                f'  {{ type = "question", text = {toml_string(theme.prompt)} }},',
                "]",
                "",
            ]
        lines += [
            *comment(t("setup.file.slot")),
            "[[calendar.slots]]",
            f"when = {toml_string(DEFAULT_SLOT)}",
            'theme = "rotate"',
        ]
    if answers.platform == "discord":
        lines += [
            "",
            *comment(t("setup.file.discord")),
            "[discord]",
            '# guild_id = "123456789012345678"',
        ]
    elif answers.platform == "slack":
        lines += ["", *comment(t("setup.file.slack")), "[slack]", 'mode = "socket"']
    return "\n".join(lines) + "\n"
