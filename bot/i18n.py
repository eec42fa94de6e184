"""Message catalogs: every user-visible string comes from here, in Dutch and English.

Each module in `bot.locales` holds `MESSAGES = {"en": {...}, "nl": {...}}` for one feature;
keys are namespaced by feature ("onboarding.welcome"). Templates use str.format fields.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from string import Formatter

import bot.locales

LANGUAGES = ("nl", "en")


Catalog = Mapping[str, Mapping[str, str]]
"""One module's MESSAGES: language -> key -> template."""


def load_catalogs(
    sources: Iterable[tuple[str, Catalog]] | None = None,
) -> dict[str, dict[str, str]]:
    """Merge (name, MESSAGES) catalogs; without `sources`, every module in bot.locales.

    The composition root passes the listed features' catalogs (bot/feature_list.py).
    """
    if sources is None:
        sources = _every_locale_module()
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for name, messages in sources:
        for lang in LANGUAGES:
            for key, text in messages.get(lang, {}).items():
                if key in merged[lang]:
                    raise ValueError(f"message key {key!r} defined twice ({name})")
                merged[lang][key] = text
    return merged


def _every_locale_module() -> list[tuple[str, Catalog]]:
    return [
        (info.name, importlib.import_module(f"bot.locales.{info.name}").MESSAGES)
        for info in pkgutil.iter_modules(bot.locales.__path__)
    ]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


class Translator:
    def __init__(self, language: str, catalogs: dict[str, dict[str, str]] | None = None) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self.language = language
        self._messages = (catalogs or load_catalogs())[language]

    def __call__(self, key: str, /, **params: object) -> str:
        return self.t(key, **params)

    def t(self, key: str, /, **params: object) -> str:
        try:
            template = self._messages[key]
        except KeyError:
            raise KeyError(f"no message {key!r} in the {self.language} catalog") from None
        return (
            template.format(**params) if params else template.replace("{{", "{").replace("}}", "}")
        )

    def has(self, key: str) -> bool:
        return key in self._messages
