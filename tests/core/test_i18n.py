from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

import bot.locales
from bot.i18n import (
    LANGUAGES,
    Plural,
    Translator,
    load_catalogs,
    placeholders,
    plural_categories,
)


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


# Decimals shown through t.number ("0,5" in Dutch); the raw number picks the form as `count`.
SHOWN_AS_A_FORMATTED_NUMBER = {
    "polls.stelling.moved_agree",
    "polls.stelling.moved_disagree",
    "dashboard.polls.shift.moved_agree",  # the same move, on the dashboard's polls page
    "dashboard.polls.shift.moved_disagree",
}


def test_plural_entries_agree_across_forms_and_languages() -> None:
    catalogs = load_catalogs()
    plurals = 0
    for lang in LANGUAGES:
        assert plural_categories(lang) <= {"one", "other"}, lang  # what Plural can hold
        for key, message in catalogs[lang].items():
            if not isinstance(message, Plural):
                continue
            plurals += 1
            one, other = placeholders(message.one), placeholders(message.other)
            assert one == other, f"{lang} {key}: forms use different fields"
            shown = message.by in other or key in SHOWN_AS_A_FORMATTED_NUMBER
            assert shown, f"{lang} {key}: the count {message.by!r} is not shown"
            counterpart = catalogs["nl" if lang == "en" else "en"][key]
            if isinstance(counterpart, Plural):
                assert counterpart.by == message.by, key
    assert plurals > 20


@pytest.mark.parametrize(
    ("lang", "key", "params", "expected"),
    [
        ("nl", "recognition.me.needs_points", {"points": 1}, "nog 1 punt"),
        ("nl", "recognition.me.needs_points", {"points": 2}, "nog 2 punten"),
        ("en", "recognition.me.needs_points", {"points": 1}, "1 more point"),
        ("en", "recognition.me.needs_points", {"points": 0}, "0 more points"),
        ("nl", "recognition.participation.members", {"count": 1}, "1 lid"),
        ("nl", "recognition.participation.members", {"count": 3}, "3 leden"),
        ("en", "recognition.participation.members", {"count": 1}, "1 member"),
        ("en", "recognition.participation.members", {"count": 3}, "3 members"),
        ("nl", "privacy.period.days", {"days": 1}, "1 dag"),
        ("en", "privacy.period.days", {"days": 90}, "90 days"),
        ("nl", "calendar.event.already", {"count": 1}, "Je stond al op de lijst (1 komt er)."),
        ("nl", "calendar.event.already", {"count": 2}, "Je stond al op de lijst (2 komen er)."),
    ],
)
def test_numbers_before_nouns_follow_the_plural_rule(
    lang: str, key: str, params: dict[str, object], expected: str
) -> None:
    assert Translator(lang)(key, **params) == expected


def test_the_ad_hoc_singular_key_is_gone() -> None:
    assert not Translator("nl").has("recognition.me.needs_one_point")


def test_a_plural_message_without_its_number_fails_loudly() -> None:
    with pytest.raises(TypeError, match="points"):
        Translator("en")("recognition.me.needs_points")


def test_dates_are_written_the_way_people_write_them() -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")
    nl = Translator("nl", timezone=amsterdam)
    en = Translator("en", timezone="Europe/Amsterdam")
    moment = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
    assert nl.datetime(moment) == "ma 23 mrt 09:00"
    assert en.datetime(moment) == "Mon 23 Mar 09:00"
    assert (nl.weekday(moment), en.weekday(moment)) == ("maandag", "Monday")
    assert (nl.time(moment), en.time(moment)) == ("09:00", "09:00")
    assert nl.date(date(2026, 3, 29), year=True, weekday=False) == "29 mrt 2026"
    assert en.date(date(2026, 3, 29)) == "Sun 29 Mar"
    # Across the spring-forward night: 23:30 UTC on Saturday is already Sunday 01:30 local.
    assert nl.datetime(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == "zo 29 mrt 00:30"
    assert nl.datetime(datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == "zo 29 mrt 03:30"
    assert (nl.number(1234.5), en.number(1234.5)) == ("1.234,5", "1,234.5")


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# Keys that show the *input* format the command parser reads; never a date Plein writes.
INPUT_FORMAT_HINTS = {"polls.error.closes_format"}


def test_no_catalog_text_writes_an_iso_date() -> None:
    for lang, messages in load_catalogs().items():
        for key, message in messages.items():
            forms = message.forms().values() if isinstance(message, Plural) else [message]
            if key not in INPUT_FORMAT_HINTS:
                assert not any(ISO_DATE.search(form) for form in forms), f"{lang} {key}"


async def test_messages_members_see_carry_no_iso_dates(console) -> None:
    script = "\n".join(
        [
            "join anna",
            "join bob",
            'anna: /poll "Welke dag?" Ma Di closes:2026-03-25T18:00',
            'bob: /story add title:"De eerste excursie" text:"Met vijf mensen langs de Ring."',
            "bob: /story list",
            "anna: /calendar",
            "bob: hallo allemaal",
            "wait 7d",
            "anna: /report",
        ]
    )
    actions = await console.run(script)
    shown = [a.get("text") or "" for a in actions]
    assert any("wo 25 mrt 18:00" in text for text in shown)  # the poll's close time
    assert any("Weekrapport" in text for text in shown)
    assert [text for text in shown if ISO_DATE.search(text)] == []
