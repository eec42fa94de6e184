from __future__ import annotations

import importlib
import pkgutil

import pytest

import bot.locales
from bot.i18n import LANGUAGES, Translator, load_catalogs, placeholders


def test_every_key_exists_in_every_language() -> None:
    catalogs = load_catalogs()
    keys = {lang: set(messages) for lang, messages in catalogs.items()}
    for lang in LANGUAGES:
        for other in LANGUAGES:
            missing = keys[lang] - keys[other]
            assert not missing, f"in {lang} but not in {other}: {sorted(missing)}"


def test_translations_use_the_same_placeholders() -> None:
    catalogs = load_catalogs()
    for key, english in catalogs["en"].items():
        assert placeholders(english) == placeholders(catalogs["nl"][key]), key


def test_each_locale_module_is_balanced_on_its_own() -> None:
    for info in pkgutil.iter_modules(bot.locales.__path__):
        module = importlib.import_module(f"bot.locales.{info.name}")
        assert set(module.MESSAGES) == set(LANGUAGES), info.name
        assert set(module.MESSAGES["en"]) == set(module.MESSAGES["nl"]), info.name


def test_every_registered_command_has_a_description_in_both_languages(tmp_path) -> None:
    import asyncio

    from tests.support import ConsoleRun

    async def specs():
        plein, _, _ = await ConsoleRun(db_path=tmp_path / "p.db").start()
        try:
            return plein.commands.all()
        finally:
            await plein.db.close()

    for lang in LANGUAGES:
        t = Translator(lang)
        for spec in asyncio.run(specs()):
            assert t.has(spec.key), f"{lang}: no description {spec.key}"


def test_unknown_language_and_key_fail_loudly() -> None:
    with pytest.raises(ValueError):
        Translator("de")
    with pytest.raises(KeyError):
        Translator("en").t("no.such.key")


def test_dutch_is_really_dutch() -> None:
    assert Translator("nl")("core.not_manager", command="/x") != Translator("en")(
        "core.not_manager", command="/x"
    )
