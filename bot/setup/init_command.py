"""`plein init`: write plein.toml from answers, the full example (--example), or defaults (--yes)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import example_text
from bot.i18n import Translator
from bot.setup.answers import minimal_answers, system_timezone
from bot.setup.init_wizard import AnswersEnded, Wizard
from bot.setup.starter_file import starter_toml

FILE_NAME = "plein.toml"


def init_community(
    directory: Path,
    *,
    force: bool = False,
    example: bool = False,
    yes: bool = False,
    language: str | None = None,
    read: Callable[[str], str] = input,
) -> int:
    target = directory / FILE_NAME
    t = Translator(language or "en")
    if target.exists() and not force:
        print(t("setup.exists", path=target), file=sys.stderr)
        return 1
    platform = "console"
    if example:
        text = example_text()
    elif yes:
        answers = minimal_answers(language or "nl", system_timezone())
        text = starter_toml(answers)
        t = Translator(answers.language)
    else:
        try:
            answers = Wizard(read, print, system_timezone()).run()
        except AnswersEnded:
            print(file=sys.stderr)
            print(t("setup.eof"), file=sys.stderr)
            return 1
        text = starter_toml(answers)
        t = Translator(answers.language)
        platform = answers.platform
    directory.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(t("setup.done", path=target))
    print(t(f"setup.next.{platform}", path=target))
    return 0
